package io.leopard.server.internal;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.testing.LiveLeopard.MID_DISABLED;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.internal.RoutedInternal.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * The merchant administration endpoints in memory, behind the real token filter: each operation of
 * {@code leopard merchant}, applied to the running directory at once; strict bodies; keys shown
 * once and never logged.
 */
class MerchantAdminEndpointsTest {
    private static final String NEW_MID = "100000000000101";
    private static RoutedInternal routed;
    private static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();
    /** Every key the tests saw: none may be logged. */
    private static final List<String> KEYS = new ArrayList<>(List.of(KEY, DemoFixture.OTHER_KEY, DemoFixture.DISABLED_KEY));

    @BeforeAll
    static void start() {
        LOGGED.start();
        root().addAppender(LOGGED);
        routed = new RoutedInternal();
    }

    @AfterAll
    static void stop() {
        routed.close();
        root().detachAppender(LOGGED);
        assertThat(LOGGED.list).as("the endpoints log their changes").isNotEmpty();
        for (ILoggingEvent e : LOGGED.list) {
            for (String key : KEYS) {
                assertThat(e.getFormattedMessage()).as("a log line").doesNotContain(key);
            }
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    static JsonNode json(Reply a) throws Exception {
        return InternalReplies.JSON.readTree(a.body());
    }

    private static Merchant merchant(String mid) {
        return routed.directory.find(mid).orElseThrow();
    }

    private static void assertError(Reply a, int status, String error, String field) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        JsonNode body = json(a);
        assertThat(body.path("error").asText()).as(a.body()).isEqualTo(error);
        if (field == null) {
            assertThat(body.has("field")).as(a.body()).isFalse();
        } else {
            assertThat(body.path("field").asText()).as(a.body()).isEqualTo(field);
        }
    }

    @Test
    void listShowsEveryMerchantAndNoKey() throws Exception {
        Reply a = routed.call("GET", "/merchants", null);
        assertThat(a.status()).isEqualTo(200);
        JsonNode first = null;
        for (JsonNode m : json(a).get("merchants")) {
            first = m.get("mid").asText().equals(MID) ? m : first;
        }
        assertThat(first).as(a.body()).isNotNull();
        assertThat(first.get("name").asText()).isNotBlank();
        assertThat(first.get("enabled").asBoolean()).isTrue();
        assertThat(Instant.parse(first.get("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(a.body()).doesNotContain(KEY).doesNotContain(DemoFixture.OTHER_KEY).doesNotContain("\"key");
    }

    @Test
    void aGeneratedKeyIsAnsweredOnceAndWorksAtOnce() throws Exception {
        Reply a = routed.call("POST", "/merchants", "{\"mid\":\"" + NEW_MID + "\",\"name\":\"New shop\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        String key = json(a).get("key").asText();
        KEYS.add(key);
        assertThat(key).matches("[a-z0-9]{20}");
        assertThat(json(a).get("keyGenerated").asBoolean()).isTrue();
        assertThat(merchant(NEW_MID).key()).as("in the running directory, without waiting for its refresh").isEqualTo(key);
        assertThat(merchant(NEW_MID).enabled()).isTrue();
        assertThat(Merchants.store(routed.settings.keys(), routed.database).loadAll())
                .anySatisfy(m -> assertThat(m.mid().equals(NEW_MID) && m.key().equals(key)).isTrue());
        assertThat(routed.call("GET", "/merchants", null).body()).contains(NEW_MID).doesNotContain(key);

        Reply again = routed.call("POST", "/merchants", "{\"mid\":\"" + NEW_MID + "\",\"name\":\"Other\",\"key\":\"anotherkey1\"}");
        assertError(again, 409, "merchant_exists", "mid");
        assertThat(json(again).get("message").asText()).isEqualTo("merchant " + NEW_MID + " already exists");
        assertThat(merchant(NEW_MID).key()).isEqualTo(key);
    }

    @Test
    void aGivenKeyIsNeverEchoed() throws Exception {
        String mid = "100000000000102";
        KEYS.add("given-key-42");
        Reply a = routed.call("POST", "/merchants", "{\"mid\":\"" + mid + "\",\"name\":\"Chosen\",\"key\":\"given-key-42\"}");
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.body()).doesNotContain("given-key-42");
        assertThat(json(a).get("keyGenerated").asBoolean()).isFalse();
        assertThat(merchant(mid).key()).isEqualTo("given-key-42");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "malformed      | {\"mid\":                                                  | invalid_json  |",
            "trailing       | {\"mid\":\"100000000000103\",\"name\":\"A\"} {}            | invalid_json  |",
            "duplicate      | {\"mid\":\"100000000000103\",\"mid\":\"100000000000104\",\"name\":\"A\"} | invalid_json |",
            "array          | [1]                                                        | invalid_json  |",
            "string         | \"mid\"                                                    | invalid_json  |",
            "mid a number   | {\"mid\":100000000000103,\"name\":\"A\"}                   | invalid_field | mid",
            "mid null       | {\"mid\":null,\"name\":\"A\"}                              | invalid_field | mid",
            "mid missing    | {\"name\":\"A\"}                                           | invalid_field | mid",
            "mid short      | {\"mid\":\"1\",\"name\":\"A\"}                             | invalid_field | mid",
            "name blank     | {\"mid\":\"100000000000103\",\"name\":\" \"}               | invalid_field | name",
            "name an object | {\"mid\":\"100000000000103\",\"name\":{}}                  | invalid_field | name",
            "key null       | {\"mid\":\"100000000000103\",\"name\":\"A\",\"key\":null}  | invalid_field | key",
            "key short      | {\"mid\":\"100000000000103\",\"name\":\"A\",\"key\":\"short\"} | invalid_field | key",
            "extra field    | {\"mid\":\"100000000000103\",\"name\":\"A\",\"enabled\":false} | unknown_field | enabled"})
    void badAddsAre400NamingTheFieldAndWriteNothing(String label, String body, String error, String field) throws Exception {
        Reply a = routed.call("POST", "/merchants", body);
        assertError(a, 400, error, field);
        assertThat(routed.directory.find("100000000000103")).isEmpty();
    }

    @Test
    void aMalformedBodyNeverQuotesWhatItHolds() throws Exception {
        Reply a = routed.call("POST", "/merchants", "{\"mid\":\"100000000000103\",\"name\":\"A\",\"key\":secret-key-77}");
        assertError(a, 400, "invalid_json", null);
        assertThat(a.body()).doesNotContain("secret-key-77").doesNotContain("secret");
        KEYS.add("secret-key-77");
    }

    @Test
    void bodiesAreJsonAndBounded() throws Exception {
        byte[] big = ("{\"mid\":\"100000000000103\",\"name\":\"" + "a".repeat(RoutedInternal.MAX_BODY) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertError(routed.call("POST", "/merchants", "application/json", big, "Bearer " + RoutedInternal.TOKEN),
                413, "body_too_large", null);
        assertError(routed.call("POST", "/merchants", "text/plain", "{\"mid\":\"100000000000103\",\"name\":\"A\"}"
                .getBytes(StandardCharsets.UTF_8), "Bearer " + RoutedInternal.TOKEN), 415, "media_type_unsupported", null);
        assertError(routed.call("POST", "/merchants", null), 400, "invalid_json", null);
    }

    @Test
    void everyTokenFailureIsTheSame401() throws Exception {
        byte[] body = ("{\"mid\":\"100000000000105\",\"name\":\"A\"}").getBytes(StandardCharsets.UTF_8);
        List<String> answers = new ArrayList<>();
        for (String auth : new String[] {null, "Bearer wrong-token-0123456789", "Basic " + RoutedInternal.TOKEN,
                "Bearer", "Bearer " + RoutedInternal.TOKEN + "x"}) {
            Reply a = routed.call("POST", "/merchants", "application/json", body, auth);
            assertThat(a.status()).isEqualTo(401);
            answers.add(a.body());
            assertThat(routed.call("GET", "/merchants", "application/json", null, auth).body()).isEqualTo(a.body());
        }
        assertThat(answers).containsOnly(answers.get(0));
        assertThat(answers.get(0)).doesNotContain(RoutedInternal.TOKEN);
        assertThat(routed.directory.find("100000000000105")).isEmpty();
    }

    @Test
    void enableAndDisableApplyAtOnce() throws Exception {
        Reply a = routed.call("POST", "/merchants/" + MID_DISABLED + "/enable", null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(json(a).get("enabled").asBoolean()).isTrue();
        assertThat(merchant(MID_DISABLED).enabled()).isTrue();
        assertThat(routed.call("POST", "/merchants/" + MID_DISABLED + "/disable", "{}").status()).isEqualTo(200);
        assertThat(merchant(MID_DISABLED).enabled()).isFalse();
        assertError(routed.call("POST", "/merchants/" + MID_DISABLED + "/enable", "{\"really\":true}"), 400, "unknown_field", "really");
        assertThat(merchant(MID_DISABLED).enabled()).isFalse();
    }

    @Test
    void signatureDiagnosisIsTurnedOnAndOffAtOnce() throws Exception {
        Reply on = routed.call("PUT", "/merchants/" + MID_DISABLED + "/debug", "{\"on\":true}");
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        assertThat(json(on).get("debug").asBoolean()).isTrue();
        assertThat(merchant(MID_DISABLED).debug()).isTrue();
        assertThat(routed.call("PUT", "/merchants/" + MID_DISABLED + "/debug", "{\"on\":false}").status()).isEqualTo(200);
        assertThat(merchant(MID_DISABLED).debug()).isFalse();
        assertError(routed.call("PUT", "/merchants/" + MID_DISABLED + "/debug", "{\"on\":\"yes\"}"), 400, "invalid_field", "on");
        assertError(routed.call("PUT", "/merchants/" + MID_DISABLED + "/debug", "{}"), 400, "invalid_field", "on");
        assertThat(merchant(MID_DISABLED).debug()).isFalse();
    }

    @Test
    void replayProtectionIsTurnedOnAndOffAtOnce() throws Exception {
        String path = "/merchants/" + MID_DISABLED + "/replay";
        Reply on = routed.call("PUT", path, "{\"window\":\"5m\"}");
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        assertThat(json(on).get("replayWindow").asText()).isEqualTo("300s");
        assertThat(merchant(MID_DISABLED).replayWindow()).isEqualTo(java.time.Duration.ofMinutes(5));
        for (String bad : new String[] {"{\"window\":\"59s\"}", "{\"window\":\"61m\"}", "{\"window\":\"0s\"}",
                "{\"window\":\"soon\"}", "{\"window\":300}", "{}"}) {
            assertError(routed.call("PUT", path, bad), 400, "invalid_field", "window");
        }
        assertError(routed.call("PUT", path, "{\"window\":\"5m\",\"off\":true}"), 400, "unknown_field", "off");
        assertThat(merchant(MID_DISABLED).replayWindow()).as("refusals change nothing").isEqualTo(java.time.Duration.ofMinutes(5));
        Reply off = routed.call("DELETE", path, null);
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(json(off).get("replayWindow").asText()).isEqualTo("off");
        assertThat(merchant(MID_DISABLED).replayWindow()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"POST|/enable|", "POST|/disable|", "POST|/rotate-key|", "PUT|/debug|{\"on\":true}",
            "PUT|/rate|{\"perSecond\":1,\"burst\":1}", "DELETE|/rate|", "PUT|/allow-ips|{\"any\":true}",
            "PUT|/replay|{\"window\":\"5m\"}", "DELETE|/replay|"})
    void anUnknownMerchantIs404(String method, String path, String body) throws Exception {
        assertError(routed.call(method, "/merchants/999999999999999" + path, body), 404, "unknown_merchant", "mid");
        assertError(routed.call(method, "/merchants/12" + path, body), 400, "invalid_field", "mid");
    }

    @Test
    void rotateKeyKeepsTheOldKeyForTheGrace() throws Exception {
        String mid = DemoFixture.OTHER_MID;
        String old = merchant(mid).key();
        assertError(routed.call("POST", "/merchants/" + mid + "/rotate-key", "{\"grace\":\"soon\"}"), 400, "invalid_field", "grace");
        assertError(routed.call("POST", "/merchants/" + mid + "/rotate-key", "{\"grace\":3600}"), 400, "invalid_field", "grace");
        Reply a = routed.call("POST", "/merchants/" + mid + "/rotate-key", "{\"grace\":\"1h\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        String key = json(a).get("key").asText();
        KEYS.add(key);
        Instant until = Instant.parse(json(a).get("previousKeyValidUntil").asText());
        assertThat(until).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        Merchant m = merchant(mid);
        assertThat(m.key()).isEqualTo(key).isNotEqualTo(old);
        assertThat(m.previousKey()).isEqualTo(old);
        Reply byDefault = routed.call("POST", "/merchants/" + mid + "/rotate-key", null);
        KEYS.add(json(byDefault).get("key").asText());
        assertThat(Instant.parse(json(byDefault).get("previousKeyValidUntil").asText())).isAfter(Instant.now().plus(Duration.ofHours(23)));
    }

    @Test
    void rateAndBackToTheDefault() throws Exception {
        String path = "/merchants/" + MID + "/rate";
        assertThat(routed.call("PUT", path, "{\"perSecond\":20,\"burst\":40}").status()).isEqualTo(200);
        assertThat(merchant(MID).policy().ratePerSecond()).isEqualTo(20);
        assertThat(merchant(MID).policy().rateBurst()).isEqualTo(40);
        assertError(routed.call("PUT", path, "{\"perSecond\":0,\"burst\":40}"), 400, "invalid_field", "perSecond");
        assertError(routed.call("PUT", path, "{\"perSecond\":1.5,\"burst\":40}"), 400, "invalid_field", "perSecond");
        assertError(routed.call("PUT", path, "{\"perSecond\":\"20\",\"burst\":40}"), 400, "invalid_field", "perSecond");
        assertError(routed.call("PUT", path, "{\"perSecond\":20}"), 400, "invalid_field", "burst");
        assertError(routed.call("PUT", path, "{\"perSecond\":20,\"burst\":null}"), 400, "invalid_field", "burst");
        assertThat(merchant(MID).policy().rateBurst()).isEqualTo(40);
        Reply back = routed.call("DELETE", path, null);
        assertThat(back.status()).isEqualTo(200);
        assertThat(json(back).get("rate").asText()).isEqualTo("default");
        assertThat(merchant(MID).policy().ratePerSecond()).isNull();
    }

    @Test
    void allowIpsTakesBlocksOrAny() throws Exception {
        String path = "/merchants/" + MID + "/allow-ips";
        Reply a = routed.call("PUT", path, "{\"cidrs\":[\"203.0.113.0/24\",\"2001:db8::/32\"]}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(merchant(MID).policy().allowList()).hasSize(2);
        assertError(routed.call("PUT", path, "{\"cidrs\":[\"203.0.113.0/33\"]}"), 400, "invalid_field", "cidrs");
        assertError(routed.call("PUT", path, "{\"cidrs\":[]}"), 400, "invalid_field", "cidrs");
        assertError(routed.call("PUT", path, "{\"cidrs\":[\"203.0.113.0/24\"],\"any\":true}"), 400, "invalid_field", "cidrs");
        assertError(routed.call("PUT", path, "{\"cidrs\":\"203.0.113.0/24\"}"), 400, "invalid_field", "cidrs");
        assertError(routed.call("PUT", path, "{\"any\":\"yes\"}"), 400, "invalid_field", "any");
        assertThat(merchant(MID).policy().allowList()).hasSize(2);
        assertThat(routed.call("PUT", path, "{\"any\":true}").status()).isEqualTo(200);
        assertThat(merchant(MID).policy().allowList()).isEmpty();
    }

    @Test
    void otherPathsAreTheInternalNotFound() throws Exception {
        assertError(routed.call("GET", "/merchants/" + MID, null), 404, "not_found", null);
        assertError(routed.call("POST", "/merchants/" + MID + "/delete", null), 404, "not_found", null);
    }
}
