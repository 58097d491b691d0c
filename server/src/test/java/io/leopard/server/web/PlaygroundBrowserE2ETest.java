package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.LiveLeopard;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The playground and the docs page in headless Chromium against a live server, as a newcomer
 * would use them: fill in the demo merchant, sign and send, see "verified"; break the key (a
 * {@code key=} prefix) and see the diagnosis name the cause; the page at phone width; Swagger UI
 * rendering the contract. Screenshots go to {@code target/screenshots/}; any console error fails.
 * Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's {@code chromium},
 * {@code chromium-driver}; {@code .ci/run} installs them): skipped with a message without them,
 * except under {@code CI=true}, where that fails.
 */
class PlaygroundBrowserE2ETest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static LiveLeopard live;
    private Path profile;
    private ChromeDriver browser;

    @BeforeAll
    static void start() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/run installs them");
        }
        Assumptions.assumeTrue(present, "browser tests skipped: no " + CHROMIUM + " / " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver)");
        live = LiveLeopard.startWithoutRateLimits(Map.of("playground.enabled", "true"));
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    @BeforeEach
    void openBrowser() throws IOException {
        profile = Files.createTempDirectory("leopard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1280,1700", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String root() {
        URI base = URI.create(live.baseUrl());
        return base.getScheme() + "://" + base.getAuthority();
    }

    private void screenshot(String name) throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits until {@code id}'s data-state is no longer empty or sending, and returns it. */
    private String settledState(String id) {
        WebElement element = browser.findElement(By.id(id));
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(b -> {
            String state = element.getDomAttribute("data-state");
            return state != null && !state.equals("none") && !state.equals("sending");
        });
        return element.getDomAttribute("data-state");
    }

    private void type(String id, String text) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    /** Every console message of level error (SEVERE): an uncaught exception, a failed load, a CSP refusal. */
    private List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        return errors;
    }

    @Test
    void aNewcomerSignsTheDemoQueryAndLearnsWhyABrokenKeyFails() throws IOException {
        browser.get(root() + "/playground");
        if ("zh-CN".equals(browser.findElement(By.tagName("html")).getDomAttribute("lang"))) {
            browser.findElement(By.id("lang")).click();
        }
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Signing playground");
        browser.findElement(By.id("demo")).click();
        browser.findElement(By.id("send")).click();
        assertThat(settledState("verification")).as(browser.findElement(By.id("answer")).getText()).isEqualTo("verified");
        assertThat(browser.findElement(By.id("verification")).getText()).contains("verified");
        assertThat(browser.findElement(By.id("answer")).getText()).contains("\"code\":\"SUCCESS\"", "\"amount\":5230.00");
        assertThat(browser.findElement(By.id("stringSignTemp")).getText()).endsWith("&********").doesNotContain(KEY);
        assertThat(browser.findElement(By.id("curl")).getText()).startsWith("curl -s -X POST").contains("/query/single");
        screenshot("playground-verified");

        type("key", "key=" + KEY); // the WeChat Pay habit
        browser.findElement(By.id("send")).click();
        assertThat(settledState("verification")).isEqualTo("failed");
        assertThat(browser.findElement(By.id("verification")).getText()).contains("SIGN_ERROR");
        assertThat(browser.findElement(By.id("diagRequest")).getDomProperty("value")).contains("sign=").doesNotContain(KEY);
        browser.findElement(By.id("diagnose")).click();
        assertThat(settledState("diagVerdict")).isEqualTo("wrong");
        WebElement verdict = browser.findElement(By.id("diagVerdict"));
        assertThat(verdict.getDomAttribute("data-recipe")).isEqualTo("KEY_PREFIX");
        assertThat(verdict.getText()).contains("KEY_PREFIX", "key= prefix");
        assertThat(browser.findElement(By.id("diagResult")).getText()).contains("stringA: ", "mid=100000510983456", "sign");
        screenshot("playground-diagnosis");

        browser.findElement(By.id("lang")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("签名调试台");
        assertThat(verdict.getText()).contains("key=");
        assertThat(browser.findElement(By.id("verification")).getText()).contains("协议失败", "SIGN_ERROR");
        screenshot("playground-zh");
        assertThat(consoleErrors()).isEmpty();
    }

    /** Each sign type (Web Crypto for SHA and HMAC), a JSON body, a batch whose orders string is verified, an extra parameter. */
    @Test
    void everySignTypeAndBodyVerifies() {
        browser.get(root() + "/playground");
        browser.findElement(By.id("demo")).click();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("endpoint"))).selectByValue("/query/multi");
        type("orderNo", "M201611101010100002,M201611101010100011,NOSUCHORDER1");
        type("extra", "attach=杯具 x");
        for (String signType : List.of("MD5", "SHA1", "SHA256", "HMAC-SHA256", "")) {
            for (String body : List.of("form", "json")) {
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("signType"))).selectByValue(signType);
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("bodyKind"))).selectByValue(body);
                browser.findElement(By.id("send")).click();
                assertThat(settledState("verification")).as(signType + " " + body + ": " + browser.findElement(By.id("answer")).getText())
                        .isEqualTo("verified");
                assertThat(browser.findElement(By.id("answer")).getText()).contains("\"orders\":\"[");
                ((JavascriptExecutor) browser).executeScript("document.getElementById('verification').dataset.state = 'none';");
            }
        }
        // the page's MD5 on PROTOCOL.md's worked example, the empty text and texts around a block's padding edge
        Object digests = ((JavascriptExecutor) browser).executeScript(
                "const hex = (t) => Array.from(LeopardMd5.digest(new TextEncoder().encode(t)), b => b.toString(16).padStart(2, '0')).join('');"
                        + "return [hex(arguments[0]), hex(''), hex('a'.repeat(55)), hex('a'.repeat(56)), hex('a'.repeat(64))];",
                "amount=65.50&currency=CNY&date=20160510&mid=123456789098765&notify=https://domain/notify"
                        + "&orderNo=SC112233445566778899&remark=杯具&time=152030&ddbax6n4cg8qj958ytt6");
        assertThat(digests).isEqualTo(List.of("2b086e3c763634a869829ae9198f7dae", "d41d8cd98f00b204e9800998ecf8427e",
                "ef1772b6dff9a122358552954ad0df65", "3b0c8ac703f828b04c6c197006d17218", "014842d480b571495a4a0363793f7367"));
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void thePlaygroundFitsAPhone() throws IOException {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(root() + "/playground");
        browser.findElement(By.id("demo")).click();
        browser.findElement(By.id("send")).click();
        assertThat(settledState("verification")).isEqualTo("verified");
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        screenshot("playground-phone");
        assertThat(consoleErrors()).isEmpty();
    }

    /** The watch the other tests rely on: a console error and a failed load are seen. */
    @Test
    void theConsoleWatchSeesErrors() {
        browser.get(root() + "/playground");
        ((JavascriptExecutor) browser).executeScript("console.error('leopard-probe');");
        ((JavascriptExecutor) browser).executeScript("const s = document.createElement('script'); s.src = '/playground/none.js';"
                + " document.body.appendChild(s);");
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> {
            errorsSeen.addAll(consoleErrors());
            return errorsSeen.stream().anyMatch(e -> e.contains("none.js"));
        });
        assertThat(errorsSeen).anyMatch(e -> e.contains("leopard-probe"));
    }

    private final List<String> errorsSeen = new ArrayList<>();

    @Test
    void theDocsPageRendersTheContract() throws IOException {
        browser.get(root() + "/docs");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> !b.findElements(By.cssSelector(".opblock-summary-path")).isEmpty());
        List<String> paths = browser.findElements(By.cssSelector(".opblock-summary-path")).stream().map(WebElement::getText).toList();
        assertThat(paths).contains("/query/single", "/query/multi", "/query/brushcard", "/query/diagnose");
        screenshot("docs");
        assertThat(consoleErrors()).isEmpty();
    }
}
