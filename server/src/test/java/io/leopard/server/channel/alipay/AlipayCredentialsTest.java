package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.channel.InvalidCredentialsException;
import java.net.URI;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link AlipayChannel#checkCredentials}: each field refused by name, keys normalized, no key in a message. */
class AlipayCredentialsTest {
    private static final String APP_ID = "2021004100000001";
    private final AlipayChannel channel = AlipayGatewayFixture.channelTo(URI.create("http://127.0.0.1:1/gateway.do"));

    private static Map<String, String> fields(String appId, String privateKey, String alipayPublicKey) {
        Map<String, String> fields = new HashMap<>();
        if (appId != null) {
            fields.put("appId", appId);
        }
        if (privateKey != null) {
            fields.put("privateKey", privateKey);
        }
        if (alipayPublicKey != null) {
            fields.put("alipayPublicKey", alipayPublicKey);
        }
        return fields;
    }

    private static Map<String, String> good() {
        return fields(APP_ID, AlipayTestKeys.privatePem(AlipayTestKeys.APP), AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY));
    }

    private void assertRefused(Map<String, String> fields, String field, String says) {
        assertThatThrownBy(() -> channel.checkCredentials(fields)).isInstanceOfSatisfying(InvalidCredentialsException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field).contains(says);
            for (String value : fields.values()) {
                if (value.length() > 40) {
                    // a key's text, or a piece of it, is never in the message
                    String body = value.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                    assertThat(e.getMessage()).doesNotContain(body.substring(body.length() / 2, body.length() / 2 + 16));
                    assertThat(e.getMessage()).doesNotContain("MII");
                }
            }
        });
    }

    @Test
    void pemKeysAreStoredAsOneLineOfBase64() {
        Map<String, String> checked = channel.checkCredentials(good());

        assertThat(checked).containsOnlyKeys("appId", "privateKey", "alipayPublicKey").containsEntry("appId", APP_ID);
        assertThat(checked.get("privateKey")).isEqualTo(AlipayTestKeys.base64(AlipayTestKeys.APP.getPrivate().getEncoded()));
        assertThat(checked.get("alipayPublicKey")).isEqualTo(AlipayTestKeys.base64(AlipayTestKeys.ALIPAY.getPublic().getEncoded()));
    }

    @Test
    void bareBase64AsAlipaysToolPrintsItIsTakenToo() {
        String privateKey = AlipayTestKeys.base64(AlipayTestKeys.APP.getPrivate().getEncoded());
        String publicKey = AlipayTestKeys.base64(AlipayTestKeys.ALIPAY.getPublic().getEncoded());

        Map<String, String> checked = channel.checkCredentials(fields(" " + APP_ID + " ", privateKey + "\n", publicKey));

        assertThat(checked).isEqualTo(channel.checkCredentials(good()));
    }

    @Test
    void pkcs1AndWindowsLineEndsAreTaken() {
        String pkcs1 = AlipayTestKeys.pem("RSA PRIVATE KEY", AlipayTestKeys.pkcs1(AlipayTestKeys.APP.getPrivate().getEncoded()))
                .replace("\n", "\r\n");

        Map<String, String> checked = channel.checkCredentials(fields(APP_ID, pkcs1, AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY)));

        assertThat(checked.get("privateKey")).isEqualTo(AlipayTestKeys.base64(AlipayTestKeys.APP.getPrivate().getEncoded()));
    }

    @Test
    void barePkcs1IsTakenToo() {
        String pkcs1 = AlipayTestKeys.base64(AlipayTestKeys.pkcs1(AlipayTestKeys.APP.getPrivate().getEncoded()));

        Map<String, String> checked = channel.checkCredentials(fields(APP_ID, pkcs1, AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY)));

        assertThat(checked.get("privateKey")).isEqualTo(AlipayTestKeys.base64(AlipayTestKeys.APP.getPrivate().getEncoded()));
    }

    @Test
    void eachMissingFieldIsNamed() {
        String privateKey = AlipayTestKeys.privatePem(AlipayTestKeys.APP);
        String publicKey = AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY);
        assertRefused(fields(null, privateKey, publicKey), "appId", "required");
        assertRefused(fields(" ", privateKey, publicKey), "appId", "required");
        assertRefused(fields(APP_ID, null, publicKey), "privateKey", "required");
        assertRefused(fields(APP_ID, privateKey, ""), "alipayPublicKey", "required");
    }

    @Test
    void theAppIdIsDigits() {
        Map<String, String> fields = good();
        fields.put("appId", "2021-0041");
        assertRefused(fields, "appId", "digits");
    }

    @Test
    void anUnknownFieldIsRefusedNotIgnored() {
        Map<String, String> fields = good();
        fields.put("alipayPublickey", "x");
        assertRefused(fields, "alipayPublickey", "appId, privateKey, alipayPublicKey");
    }

    @Test
    void garbageIsNoKey() {
        String publicKey = AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY);
        assertRefused(fields(APP_ID, "my private key!", publicKey), "privateKey", "neither PEM nor base64");
        assertRefused(fields(APP_ID, "c2VjcmV0IGJ1dCBub3QgYSBrZXk=", publicKey), "privateKey", "not an RSA private key");
        assertRefused(fields(APP_ID, AlipayTestKeys.privatePem(AlipayTestKeys.APP).replace("-----END PRIVATE KEY-----", ""),
                publicKey), "privateKey", "PEM");
        assertRefused(fields(APP_ID, AlipayTestKeys.privatePem(AlipayTestKeys.APP), "Zm9vYmFy"), "alipayPublicKey", "not an RSA public key");
    }

    @Test
    void aShortKeyIsRefused() {
        KeyPair small = AlipayTestKeys.rsa(1024);
        assertRefused(fields(APP_ID, AlipayTestKeys.privatePem(small), AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY)),
                "privateKey", "1024 bits");
        assertRefused(fields(APP_ID, AlipayTestKeys.privatePem(AlipayTestKeys.APP), AlipayTestKeys.publicPem(small)),
                "alipayPublicKey", "1024 bits");
    }

    @Test
    void aKeyThatIsNotRsaIsRefused() {
        KeyPair ec = AlipayTestKeys.pair("EC", 256);
        assertRefused(fields(APP_ID, AlipayTestKeys.privatePem(ec), AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY)),
                "privateKey", "not an RSA private key");
        assertRefused(fields(APP_ID, AlipayTestKeys.privatePem(AlipayTestKeys.APP), AlipayTestKeys.publicPem(ec)),
                "alipayPublicKey", "not an RSA public key");
    }

    @Test
    void aPublicKeyInThePrivateSlotIsNamedSo() {
        String publicKey = AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY);
        assertRefused(fields(APP_ID, AlipayTestKeys.publicPem(AlipayTestKeys.APP), publicKey), "privateKey", "is a public key");
        assertRefused(fields(APP_ID, AlipayTestKeys.base64(AlipayTestKeys.APP.getPublic().getEncoded()), publicKey),
                "privateKey", "is a public key");
    }

    @Test
    void aPrivateKeyInThePublicSlotIsNamedSo() {
        String privateKey = AlipayTestKeys.privatePem(AlipayTestKeys.APP);
        assertRefused(fields(APP_ID, privateKey, AlipayTestKeys.privatePem(AlipayTestKeys.ALIPAY)), "alipayPublicKey", "is a private key");
        assertRefused(fields(APP_ID, privateKey, AlipayTestKeys.base64(AlipayTestKeys.ALIPAY.getPrivate().getEncoded())),
                "alipayPublicKey", "is a private key");
    }

    @Test
    void theAppsOwnPublicKeyIsNotAlipays() {
        assertRefused(fields(APP_ID, AlipayTestKeys.privatePem(AlipayTestKeys.APP), AlipayTestKeys.publicPem(AlipayTestKeys.APP)),
                "alipayPublicKey", "the app's own public key");
    }

    @Test
    void storedKeysAreParsedOnce() {
        Map<String, String> checked = channel.checkCredentials(good());
        AlipayKeys keys = new AlipayKeys();

        assertThat(keys.privateKey(checked.get("privateKey"))).isSameAs(keys.privateKey(checked.get("privateKey")))
                .isEqualTo(AlipayTestKeys.APP.getPrivate());
        assertThat(keys.publicKey(checked.get("alipayPublicKey"))).isSameAs(keys.publicKey(checked.get("alipayPublicKey")))
                .isEqualTo(AlipayTestKeys.ALIPAY.getPublic());
    }
}
