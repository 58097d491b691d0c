package io.leopard.server.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.InvalidCredentialsException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WechatCredentialsTest {
    private static final String KEY = "Kq3vZ8pL2mN7xR4tY9wB6cD1fG5hJ0sA";
    private static String certP12;

    @BeforeAll
    static void certificates() throws IOException {
        certP12 = Base64.getEncoder().encodeToString(Files.readAllBytes(WechatTestCertificates.get().clientP12()));
    }

    private static Map<String, String> valid() {
        Map<String, String> fields = new HashMap<>();
        fields.put("appid", " wx2421b1c4370ec43b ");
        fields.put("mchId", "10000100");
        fields.put("key", KEY);
        return fields;
    }

    @Test
    void normalizesTheFieldsItKnows() {
        Map<String, String> fields = valid();
        fields.put("subMchId", "1900000109");
        fields.put("signType", "hmac-sha256");
        // wrapped as base64 files often are
        fields.put("certP12", certP12.replaceAll("(.{64})", "$1\n"));
        fields.put("certPassword", WechatTestCertificates.PASSWORD);
        assertThat(WechatCredentials.check(fields)).containsOnly(
                Map.entry("appid", "wx2421b1c4370ec43b"),
                Map.entry("mchId", "10000100"),
                Map.entry("subMchId", "1900000109"),
                Map.entry("key", KEY),
                Map.entry("signType", "HMAC-SHA256"),
                Map.entry("certP12", certP12),
                Map.entry("certPassword", WechatTestCertificates.PASSWORD));
    }

    @Test
    void signsWithMd5WhenNotToldOtherwise() {
        assertThat(WechatCredentials.check(valid())).containsEntry("signType", "MD5").doesNotContainKeys("subMchId", "certP12");
    }

    @Test
    void namesEachMissingField() {
        for (String field : new String[] {"appid", "mchId", "key"}) {
            Map<String, String> fields = valid();
            fields.remove(field);
            assertRefused(fields, field);
            fields.put(field, "  ");
            assertRefused(fields, field);
        }
    }

    @Test
    void namesEachWrongField() {
        assertRefused(with("appid", "wx-not/an appid"), "appid");
        assertRefused(with("appid", "w".repeat(33)), "appid");
        assertRefused(with("mchId", "M10000100"), "mchId");
        assertRefused(with("subMchId", "sub"), "subMchId");
        assertRefused(with("signType", "SHA1"), "signType");
        assertRefused(with("mchID", "10000100"), "mchID");
    }

    @Test
    void refusesAKeyOfTheWrongShapeWithoutSayingIt() {
        for (String key : new String[] {KEY.substring(1), KEY + "X", KEY.substring(1) + "!"}) {
            InvalidCredentialsException e = assertRefused(with("key", key), "key");
            assertThat(e.getMessage()).doesNotContain(key).doesNotContain(key.substring(0, 8));
        }
    }

    @Test
    void wantsTheCertificatePasswordWithTheCertificate() {
        Map<String, String> fields = valid();
        fields.put("certP12", certP12);
        assertRefused(fields, "certPassword");

        fields = valid();
        fields.put("certPassword", "10000100");
        assertRefused(fields, "certPassword");
    }

    @Test
    void refusesACertificateThatDoesNotOpenWithoutSayingThePassword() {
        Map<String, String> fields = valid();
        fields.put("certP12", certP12);
        fields.put("certPassword", "wrong-password-123");
        InvalidCredentialsException e = assertRefused(fields, "certP12");
        assertThat(e.getMessage()).doesNotContain("wrong-password-123").doesNotContain(certP12.substring(0, 20));

        fields.put("certP12", "not base64 at all!");
        assertRefused(fields, "certP12");
        fields.put("certP12", Base64.getEncoder().encodeToString("not a PKCS#12 file".getBytes()));
        assertRefused(fields, "certP12");
    }

    @Test
    void refusesAKeyStoreWithoutAPrivateKey() throws IOException {
        Map<String, String> fields = valid();
        fields.put("certP12", Base64.getEncoder().encodeToString(Files.readAllBytes(WechatTestCertificates.get().trustOnlyP12())));
        fields.put("certPassword", WechatTestCertificates.PASSWORD);
        assertThat(assertRefused(fields, "certP12").getMessage()).contains("no private key");
    }

    @Test
    void showsNoSecretWhenPrinted() {
        Map<String, String> fields = valid();
        fields.put("certP12", certP12);
        fields.put("certPassword", WechatTestCertificates.PASSWORD);
        ChannelCredentials credentials = new ChannelCredentials("wechat", WechatCredentials.check(fields));
        WechatAccount account = WechatAccount.of(credentials);
        for (String printed : new String[] {credentials.toString(), account.toString()}) {
            assertThat(printed).doesNotContain(KEY).doesNotContain(certP12.substring(0, 20)).doesNotContain(WechatTestCertificates.PASSWORD);
        }
        assertThat(account.toString()).contains("10000100", "certificate=true");
    }

    private static Map<String, String> with(String field, String value) {
        Map<String, String> fields = valid();
        fields.put(field, value);
        return fields;
    }

    private static InvalidCredentialsException assertRefused(Map<String, String> fields, String field) {
        InvalidCredentialsException e = catchThrowableOfType(InvalidCredentialsException.class, () -> WechatCredentials.check(fields));
        assertThat(e).as("refused for %s", field).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.getMessage()).contains(field).doesNotContain(KEY);
        return e;
    }
}
