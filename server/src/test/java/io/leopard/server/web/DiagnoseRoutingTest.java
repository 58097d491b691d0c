package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static io.leopard.server.testing.LiveLeopard.MID_DISABLED;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /query/diagnose} in memory: wrong signs made by each known wrong recipe, by hand here,
 * are named; the answer is signed and never holds the key; a merchant without debug is answered as
 * an unknown one; the body gets the queries' hostile-input treatment; it is rate-limited and audited.
 */
class DiagnoseRoutingTest {
    private static final String PATH = "/query/diagnose";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static RoutedDemo demo;

    @BeforeAll
    static void start() throws Exception {
        demo = RoutedDemo.start(LiveLeopard.NO_RATE_LIMITS);
        demo.merchantStore().setDebug(MID2, false);
        demo.refreshMerchants();
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    /** A query as a merchant would send it, with a value that trimming and URL-encoding change. */
    private static Map<String, String> request(String mid) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", mid);
        p.put("orderNo", "M201611101010100002");
        p.put("noise", "diag1");
        p.put("remark", " 杯具/x ");
        return p;
    }

    private static final String STRING_A = "mid=" + MID + "&noise=diag1&orderNo=M201611101010100002&remark= 杯具/x ";

    private static String hex(byte[] digest) {
        return HexFormat.of().withUpperCase().formatHex(digest);
    }

    private static String md5(String text, Charset charset) throws Exception {
        return hex(MessageDigest.getInstance("MD5").digest(text.getBytes(charset)));
    }

    private static String hmac(String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return hex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String form(Map<String, String> params) {
        return LiveLeopard.form(params);
    }

    /** Diagnoses {@code params} with {@code sign} as a form; checks the answer's signature (MD5 unless signType); its fields. */
    private static Map<String, String> diagnose(Map<String, String> params, String sign) throws Exception {
        Map<String, String> sent = new LinkedHashMap<>(params);
        sent.put("sign", sign);
        HttpResponse<String> res = demo.post(PATH, FORM, form(sent));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body()).doesNotContain(KEY);
        Map<String, String> fields = IndependentVerifier.fields(res.body());
        assertThat(fields).as(res.body()).containsEntry("code", "SUCCESS");
        assertThat(IndependentVerifier.verify(fields, KEY, params.getOrDefault("signType", "MD5"))).as(res.body()).isTrue();
        return fields;
    }

    @Test
    void aRightSignIsVerifiedWithTheStringAShown() throws Exception {
        Map<String, String> p = request(MID);
        p.put("attach", "");
        Map<String, String> d = diagnose(p, md5(STRING_A + "&" + KEY, StandardCharsets.UTF_8));
        assertThat(d).containsEntry("verified", "true").containsEntry("recipe", "CORRECT")
                .containsEntry("stringA", STRING_A).containsEntry("stringSignTemp", STRING_A + "&********")
                .containsEntry("skipped", "attach,sign").containsKeys("hint", "hintEn", "noise");
        assertThat(diagnose(request(MID), md5(STRING_A + "&" + KEY, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT)))
                .containsEntry("verified", "true").containsEntry("recipe", "LOWER_CASE_HEX");
    }

    @Test
    void eachWrongRecipeIsNamed() throws Exception {
        Map<String, String> p = request(MID);
        assertThat(diagnose(p, md5(STRING_A + "&key=" + KEY, StandardCharsets.UTF_8)))
                .containsEntry("verified", "false").containsEntry("recipe", "KEY_PREFIX");
        assertThat(diagnose(p, md5(STRING_A.replace("remark= 杯具/x ", "remark=杯具/x") + "&" + KEY, StandardCharsets.UTF_8)))
                .containsEntry("recipe", "VALUES_TRIMMED");
        String encoded = STRING_A.replace("remark= 杯具/x ", "remark=" + URLEncoder.encode(" 杯具/x ", StandardCharsets.UTF_8));
        assertThat(diagnose(p, md5(encoded + "&" + KEY, StandardCharsets.UTF_8))).containsEntry("recipe", "VALUES_URL_ENCODED");
        assertThat(diagnose(p, md5(encoded.replace("+", "%20") + "&" + KEY, StandardCharsets.UTF_8)))
                .as("encodeURIComponent's %20").containsEntry("recipe", "VALUES_URL_ENCODED");
        assertThat(diagnose(p, md5(STRING_A + "&" + KEY, Charset.forName("GBK")))).containsEntry("recipe", "GBK_BYTES");
        assertThat(diagnose(p, md5(STRING_A + "&sign=&" + KEY, StandardCharsets.UTF_8))).containsEntry("recipe", "SIGN_INCLUDED");
        Map<String, String> withEmpty = request(MID);
        withEmpty.put("attach", "");
        assertThat(diagnose(withEmpty, md5("attach=&" + STRING_A + "&" + KEY, StandardCharsets.UTF_8)))
                .containsEntry("recipe", "EMPTY_VALUES_SIGNED");
        assertThat(diagnose(p, md5(STRING_A + "&" + KEY2, StandardCharsets.UTF_8))).containsEntry("recipe", "UNKNOWN");
        Map<String, String> hmac = request(MID);
        hmac.put("signType", "HMAC-SHA256");
        String hmacStringA = STRING_A.replace("&orderNo", "&orderNo").replace("remark= 杯具/x ", "remark= 杯具/x &signType=HMAC-SHA256");
        assertThat(diagnose(hmac, hmac(hmacStringA))).containsEntry("recipe", "HMAC_OVER_STRING_A").containsEntry("signType", "HMAC-SHA256");
        Map<String, String> sha = request(MID);
        sha.put("signType", "SHA256");
        assertThat(diagnose(sha, md5(STRING_A.replace("remark= 杯具/x ", "remark= 杯具/x &signType=SHA256") + "&" + KEY,
                StandardCharsets.UTF_8))).containsEntry("recipe", "OTHER_SIGN_TYPE");
    }

    /** Queries accept the old key during a rotation's grace: the diagnosis explains a sign made with it, and answers signed with it. */
    @Test
    void duringARotationsGraceTheOldKeyIsDiagnosedToo() throws Exception {
        try (RoutedDemo rotated = RoutedDemo.start(LiveLeopard.NO_RATE_LIMITS)) {
            rotated.merchantStore().rotateKey(MID, "brand-new-key-12345", java.time.Duration.ofHours(1));
            rotated.refreshMerchants();
            for (String[] c : new String[][] {{STRING_A + "&" + KEY, "CORRECT", "true"}, {STRING_A + "&key=" + KEY, "KEY_PREFIX", "false"}}) {
                Map<String, String> sent = request(MID);
                sent.put("sign", md5(c[0], StandardCharsets.UTF_8));
                HttpResponse<String> res = rotated.post(PATH, FORM, form(sent));
                Map<String, String> fields = IndependentVerifier.fields(res.body());
                assertThat(fields).as(res.body()).containsEntry("recipe", c[1]).containsEntry("verified", c[2]);
                assertThat(IndependentVerifier.verify(fields, KEY, "MD5")).as("signed with the key the request used").isTrue();
            }
        }
    }

    @Test
    void aJsonBodyIsDiagnosedAsSent() throws Exception {
        String body = "{\"mid\":\"" + MID + "\",\"orderNo\":\"M201611101010100002\",\"noise\":\"diag1\",\"remark\":\" 杯具/x \","
                + "\"sign\":\"" + md5(STRING_A + "&key=" + KEY, StandardCharsets.UTF_8) + "\"}";
        HttpResponse<String> res = demo.post(PATH, "application/json", body);
        assertThat(IndependentVerifier.fields(res.body())).containsEntry("recipe", "KEY_PREFIX");
    }

    @Test
    void aMerchantWithoutDebugIsAnsweredAsAnUnknownOne() throws Exception {
        Map<String, String> off = request(MID2);
        off.put("sign", "00");
        Map<String, String> unknown = request("999999999999999");
        unknown.put("sign", "00");
        HttpResponse<String> offAnswer = demo.post(PATH, FORM, form(off));
        HttpResponse<String> unknownAnswer = demo.post(PATH, FORM, form(unknown));
        assertThat(offAnswer.statusCode()).isEqualTo(unknownAnswer.statusCode()).isEqualTo(200);
        assertThat(offAnswer.body()).isEqualTo(unknownAnswer.body()).contains("\"errCode\":\"MERCHANT_NOT_EXIST\"");
        assertThat(offAnswer.headers().map().keySet()).isEqualTo(unknownAnswer.headers().map().keySet());
        Map<String, String> disabled = request(MID_DISABLED);
        disabled.put("sign", "00");
        assertThat(demo.post(PATH, FORM, form(disabled)).body()).contains("\"errCode\":\"MERCHANT_DISABLED\"");
    }

    @Test
    void hostileBodiesAreRefusedAsQueriesRefuseThem() throws Exception {
        String sign = "&sign=00";
        assertThat(errCode(demo.post(PATH, FORM, "mid=" + MID + "&mid=" + MID + sign))).isEqualTo("PARAM_ERROR");
        assertThat(errCode(demo.post(PATH, FORM, "mid=" + MID + "&noise=a%01b" + sign))).isEqualTo("PARAM_ERROR");
        assertThat(errCode(demo.post(PATH, FORM, "mid=12345" + sign))).isEqualTo("PARAM_ERROR");
        assertThat(errCode(demo.post(PATH, FORM, "mid=" + MID))).isEqualTo("PARAM_ERROR");
        assertThat(errCode(demo.post(PATH, FORM, "mid=" + MID + "&signType=SHA512" + sign))).isEqualTo("SIGN_TYPE_UNSUPPORTED");
        assertThat(errCode(demo.post(PATH, "application/json", "{\"mid\":{\"a\":1},\"sign\":\"00\"}"))).isEqualTo("PARAM_ERROR");
        assertThat(errCode(demo.post(PATH, FORM, "mid=" + MID + "&bad%20name=1" + sign))).isEqualTo("PARAM_ERROR");
        assertThat(errCode(demo.post(PATH, FORM, "mid=" + MID + "&sign=" + "A".repeat(129)))).isEqualTo("PARAM_ERROR");
        HttpResponse<String> type = demo.post(PATH, "text/plain", "mid=1");
        assertThat(type.statusCode()).isEqualTo(415);
        HttpResponse<String> large = demo.post(PATH, FORM, "mid=" + "1".repeat(20_000));
        assertThat(large.statusCode()).isEqualTo(413);
        HttpResponse<String> get = demo.send("GET", PATH);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    private static String errCode(HttpResponse<String> res) throws Exception {
        return IndependentVerifier.fields(res.body()).get("errCode");
    }

    @Test
    void itIsRateLimitedAsQueriesAre() throws Exception {
        try (RoutedDemo limited = RoutedDemo.start(Map.of("rate.per-second", "1", "rate.burst", "2"))) {
            Map<String, String> p = request(MID);
            p.put("sign", md5(STRING_A + "&" + KEY, StandardCharsets.UTF_8));
            List<String> codes = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                codes.add(IndependentVerifier.fields(limited.post(PATH, FORM, form(p)).body()).get("code")
                        + "/" + IndependentVerifier.fields(limited.post(PATH, FORM, form(p)).body()).getOrDefault("errCode", "-"));
            }
            assertThat(codes.get(0)).isEqualTo("SUCCESS/-");
            assertThat(codes.get(2)).isEqualTo("FAIL/FREQUENCY_LIMITED");
        }
        try (RoutedDemo limited = RoutedDemo.start(Map.of("rate.address-per-second", "1", "rate.address-burst", "2"))) {
            Map<String, String> p = request(MID);
            p.put("sign", md5(STRING_A + "&key=" + KEY, StandardCharsets.UTF_8));
            assertThat(errCode(limited.post(PATH, FORM, form(p)))).isNull();
            assertThat(errCode(limited.post(PATH, FORM, form(p)))).isNull();
            assertThat(errCode(limited.post(PATH, FORM, form(p)))).as("wrong signs cost the address").isEqualTo("FREQUENCY_LIMITED");
        }
    }

    @Test
    void eachDiagnosisIsOneAuditLineWithoutKeyOrSign() throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger("leopard.audit");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        Level before = audit.getLevel();
        audit.setLevel(Level.INFO);
        lines.start();
        audit.addAppender(lines);
        try {
            String sign = md5(STRING_A + "&key=" + KEY, StandardCharsets.UTF_8);
            diagnose(request(MID), sign);
            List<String> logged;
            synchronized (lines) {
                logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
            assertThat(logged).hasSize(1);
            assertThat(logged.get(0)).contains("mid=" + MID, "recipe=KEY_PREFIX", "client=127.0.0.1")
                    .doesNotContain(KEY, sign, "杯具", "M201611101010100002");
        } finally {
            audit.detachAppender(lines);
            audit.setLevel(before);
        }
    }
}
