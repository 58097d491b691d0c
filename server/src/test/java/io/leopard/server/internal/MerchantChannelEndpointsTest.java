package io.leopard.server.internal;

import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.TestChannels;
import io.leopard.server.internal.RoutedInternal.Reply;
import io.leopard.server.merchant.KeyCipher;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * A merchant's channel credentials through the internal API, in memory behind the real token
 * filter, with the {@link TestChannels} stand-ins: set, replaced, removed, refused naming the field;
 * stored encrypted and bound to the merchant; no value in any answer or log line.
 */
class MerchantChannelEndpointsTest {
    /** The WeChat API key of the tests: it may appear in no answer, no log line, no stored row. */
    private static final String SECRET = "Secret32CharsApiKeyOfTheWechat01";
    private static final String APPID = "wxappid9876543210";
    private static final String MCH_ID = "1900000109";
    private static final AtomicInteger NEXT = new AtomicInteger(900);
    private static RoutedInternal routed;
    private static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();
    /** Every value the tests gave: none may be logged. */
    private static final List<String> SECRETS = new ArrayList<>(List.of(SECRET, APPID, MCH_ID));

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
        assertThat(LOGGED.list).as("the endpoints log their changes")
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("credentials set"));
        for (ILoggingEvent e : LOGGED.list) {
            for (String secret : SECRETS) {
                assertThat(e.getFormattedMessage()).as("a log line").doesNotContain(secret);
                if (e.getThrowableProxy() != null) {
                    assertThat(e.getThrowableProxy().getMessage()).as("a logged exception").doesNotContain(secret);
                }
            }
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static JsonNode json(Reply a) throws Exception {
        return InternalReplies.JSON.readTree(a.body());
    }

    /** A new merchant of its own, so that the tests do not meet. */
    private static String newMerchant() throws Exception {
        String mid = "100000000000" + NEXT.getAndIncrement();
        Reply a = routed.call("POST", "/merchants", "{\"mid\":\"" + mid + "\",\"name\":\"Channel shop\",\"key\":\"shopkey-" + mid + "\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return mid;
    }

    private static String wechat(String key) {
        return "{\"appid\":\"" + APPID + "\",\"mchId\":\"" + MCH_ID + "\",\"key\":\"" + key + "\"}";
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
        for (String secret : SECRETS) {
            assertThat(a.body()).doesNotContain(secret);
        }
    }

    /** The merchant's entry of {@code GET /merchants}. */
    private static JsonNode listed(String mid) throws Exception {
        Reply a = routed.call("GET", "/merchants", null);
        assertThat(a.status()).isEqualTo(200);
        for (String secret : SECRETS) {
            assertThat(a.body()).doesNotContain(secret);
        }
        for (JsonNode m : json(a).get("merchants")) {
            if (m.get("mid").asText().equals(mid)) {
                return m;
            }
        }
        throw new AssertionError(mid + " not listed: " + a.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void wechatCredentialsAreSetAndTheAnswerNamesTheFieldsOnly() throws Exception {
        String mid = newMerchant();
        Reply a = routed.call("PUT", "/merchants/" + mid + "/channels/wechat", "{\"appid\":\"" + APPID + "\",\"mchId\":\""
                + MCH_ID + "\",\"subMchId\":\"1900000110\",\"key\":\"" + SECRET + "\",\"signType\":\"HMAC-SHA256\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode body = json(a);
        assertThat(body.get("mid").asText()).isEqualTo(mid);
        assertThat(body.get("channel").asText()).isEqualTo("wechat");
        assertThat(texts(body.get("fields"))).containsExactly("appid", "key", "mchId", "signType", "subMchId");
        assertThat(body.size()).isEqualTo(3);
        assertThat(a.body()).doesNotContain(SECRET).doesNotContain(APPID).doesNotContain(MCH_ID).doesNotContain("1900000110");
        SECRETS.add("1900000110");

        assertThat(routed.accounts.forOrder(mid, "wechat")).as("applied at once on this node")
                .hasValueSatisfying(acc -> assertThat(acc.credentials().get("key")).isEqualTo(SECRET));
        assertThat(texts(listed(mid).get("channels"))).containsExactly("wechat");
        assertThat(texts(listed(MID).get("channels"))).as("a merchant without accounts").isEmpty();
    }

    @Test
    void setAgainReplacesTheCredentials() throws Exception {
        String mid = newMerchant();
        assertThat(routed.call("PUT", "/merchants/" + mid + "/channels/wechat", wechat(SECRET)).status()).isEqualTo(200);
        String other = "Another32CharsApiKeyOfTheWechat1";
        SECRETS.add(other);
        Reply a = routed.call("PUT", "/merchants/" + mid + "/channels/wechat", wechat(other));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(routed.accounts.forOrder(mid, "wechat"))
                .hasValueSatisfying(acc -> assertThat(acc.credentials().get("key")).isEqualTo(other));
        assertThat(texts(listed(mid).get("channels"))).containsExactly("wechat");
    }

    @Test
    void theSandboxTakesAnEmptyObjectNoBodyOrAScenario() throws Exception {
        String mid = newMerchant();
        Reply empty = routed.call("PUT", "/merchants/" + mid + "/channels/sandbox", "{}");
        assertThat(empty.status()).as(empty.body()).isEqualTo(200);
        assertThat(texts(json(empty).get("fields"))).isEmpty();
        assertThat(routed.call("PUT", "/merchants/" + mid + "/channels/sandbox", null).status()).isEqualTo(200);
        Reply scenario = routed.call("PUT", "/merchants/" + mid + "/channels/sandbox", "{\"scenario\":\"paid\"}");
        assertThat(texts(json(scenario).get("fields"))).containsExactly("scenario");
        assertThat(routed.call("PUT", "/merchants/" + mid + "/channels/wechat", wechat(SECRET)).status()).isEqualTo(200);
        assertThat(texts(listed(mid).get("channels"))).containsExactly("sandbox", "wechat");
        assertThat(routed.accounts.forOrder(mid, "alipay")).as("a sandbox merchant syncs everything there")
                .hasValueSatisfying(acc -> assertThat(acc.channel().name()).isEqualTo("sandbox"));
    }

    @Test
    void anUnknownMerchantIs404AndAMalformedMid400() throws Exception {
        assertError(routed.call("PUT", "/merchants/100000000000999/channels/wechat", wechat(SECRET)), 404, "unknown_merchant", "mid");
        assertError(routed.call("DELETE", "/merchants/100000000000999/channels/wechat", null), 404, "unknown_merchant", "mid");
        assertError(routed.call("PUT", "/merchants/12345/channels/wechat", wechat(SECRET)), 400, "invalid_field", "mid");
        assertThat(routed.accounts.channelsOf("100000000000999")).isEmpty();
    }

    @Test
    void anUnknownChannelIs404NamingTheChannels() throws Exception {
        String mid = newMerchant();
        Reply a = routed.call("PUT", "/merchants/" + mid + "/channels/paypal", "{\"key\":\"" + SECRET + "\"}");
        assertError(a, 404, "unknown_channel", "channel");
        assertThat(json(a).get("message").asText()).isEqualTo("no channel paypal; channels are sandbox, wechat, broken");
        assertError(routed.call("PUT", "/merchants/" + mid + "/channels/WeChat", wechat(SECRET)), 404, "unknown_channel", "channel");
        assertThat(routed.accounts.channelsOf(mid)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "no key          | wechat  | {\"appid\":\"wxappid9876543210\",\"mchId\":\"1900000109\"}                          | key",
            "empty appid     | wechat  | {\"appid\":\"\",\"mchId\":\"1900000109\",\"key\":\"Secret32CharsApiKeyOfTheWechat01\"} | appid",
            "short key       | wechat  | {\"appid\":\"wxappid9876543210\",\"mchId\":\"1900000109\",\"key\":\"ShortSecretKey77\"} | key",
            "bad sign type   | wechat  | {\"appid\":\"wxappid9876543210\",\"mchId\":\"1900000109\",\"key\":\"Secret32CharsApiKeyOfTheWechat01\",\"signType\":\"SHA1\"} | signType",
            "cert, no pass   | wechat  | {\"appid\":\"wxappid9876543210\",\"mchId\":\"1900000109\",\"key\":\"Secret32CharsApiKeyOfTheWechat01\",\"certP12\":\"MIIKcertdata\"} | certPassword",
            "leaky adapter   | wechat  | {\"appid\":\"leaky\",\"mchId\":\"1900000109\",\"key\":\"Secret32CharsApiKeyOfTheWechat01\"} | key",
            "broken adapter  | broken  | {\"key\":\"Secret32CharsApiKeyOfTheWechat01\"}                                         | credentials",
            "sandbox extra   | sandbox | {\"key\":\"Secret32CharsApiKeyOfTheWechat01\"}                                         | key"})
    void refusedCredentialsAre400NamingTheFieldWithoutTheValue(String label, String channel, String body, String field) throws Exception {
        SECRETS.addAll(List.of("ShortSecretKey77", "MIIKcertdata"));
        String mid = newMerchant();
        Reply a = routed.call("PUT", "/merchants/" + mid + "/channels/" + channel, body);
        assertError(a, 400, "invalid_field", field);
        assertThat(json(a).get("message").asText()).startsWith(channel + " credentials: ").contains(field);
        assertThat(routed.accounts.channelsOf(mid)).as("nothing stored").isEmpty();
    }

    @Test
    void aBrokenAdapterIsLoggedWithoutWhatItWasGiven() throws Exception {
        String mid = newMerchant();
        int from = LOGGED.list.size();
        assertError(routed.call("PUT", "/merchants/" + mid + "/channels/broken", "{\"key\":\"" + SECRET + "\"}"),
                400, "invalid_field", "credentials");
        assertThat(List.copyOf(LOGGED.list).subList(from, LOGGED.list.size())).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains(mid).contains("broken").contains("IllegalStateException");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "a number        | {\"appid\":\"wx1\",\"mchId\":1900000109,\"key\":\"Secret32CharsApiKeyOfTheWechat01\"} | invalid_field | mchId",
            "null            | {\"appid\":\"wx1\",\"mchId\":null,\"key\":\"Secret32CharsApiKeyOfTheWechat01\"}       | invalid_field | mchId",
            "a boolean       | {\"appid\":true,\"mchId\":\"1\",\"key\":\"Secret32CharsApiKeyOfTheWechat01\"}         | invalid_field | appid",
            "an object       | {\"appid\":\"wx1\",\"mchId\":\"1\",\"key\":{\"v\":\"Secret32CharsApiKeyOfTheWechat01\"}} | invalid_field | key",
            "an array        | {\"appid\":\"wx1\",\"mchId\":\"1\",\"key\":[\"Secret32CharsApiKeyOfTheWechat01\"]}    | invalid_field | key",
            "array body      | [\"Secret32CharsApiKeyOfTheWechat01\"]                                                | invalid_json  |",
            "string body     | \"Secret32CharsApiKeyOfTheWechat01\"                                                  | invalid_json  |",
            "malformed       | {\"appid\":\"wx1\",\"key\":Secret32CharsApiKeyOfTheWechat01}                          | invalid_json  |",
            "duplicate       | {\"key\":\"Secret32CharsApiKeyOfTheWechat01\",\"key\":\"x\"}                          | invalid_json  |",
            "trailing        | {\"key\":\"Secret32CharsApiKeyOfTheWechat01\"} {}                                     | invalid_json  |"})
    void aBodyThatIsNotAnObjectOfStringsIs400(String label, String body, String error, String field) throws Exception {
        String mid = newMerchant();
        assertError(routed.call("PUT", "/merchants/" + mid + "/channels/wechat", body), 400, error, field);
        assertThat(routed.accounts.channelsOf(mid)).isEmpty();
    }

    @Test
    void bodiesAreJsonBoundedAndNeedTheToken() throws Exception {
        String mid = newMerchant();
        String path = "/merchants/" + mid + "/channels/wechat";
        byte[] big = wechat(SECRET + "a".repeat(RoutedInternal.MAX_BODY)).getBytes(StandardCharsets.UTF_8);
        assertError(routed.call("PUT", path, "application/json", big, "Bearer " + RoutedInternal.TOKEN), 413, "body_too_large", null);
        assertError(routed.call("PUT", path, "text/plain", wechat(SECRET).getBytes(StandardCharsets.UTF_8),
                "Bearer " + RoutedInternal.TOKEN), 415, "media_type_unsupported", null);
        Reply noToken = routed.call("PUT", path, "application/json", wechat(SECRET).getBytes(StandardCharsets.UTF_8), null);
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.body()).doesNotContain(SECRET);
        assertThat(routed.call("DELETE", path, "application/json", null, "Bearer wrong-token-0123456789").status()).isEqualTo(401);
        assertThat(routed.call("GET", "/merchants", "application/json", null, null).status()).isEqualTo(401);
        assertThat(routed.accounts.channelsOf(mid)).isEmpty();
    }

    @Test
    void removeIs204ThenNotFound() throws Exception {
        String mid = newMerchant();
        String path = "/merchants/" + mid + "/channels/wechat";
        assertThat(routed.call("PUT", path, wechat(SECRET)).status()).isEqualTo(200);
        assertError(routed.call("DELETE", path, "{\"really\":true}"), 400, "unknown_field", "really");
        assertThat(routed.accounts.forOrder(mid, "wechat")).isPresent();

        Reply removed = routed.call("DELETE", path, null);
        assertThat(removed.status()).as(removed.body()).isEqualTo(204);
        assertThat(removed.body()).isEmpty();
        assertThat(routed.accounts.forOrder(mid, "wechat")).as("applied at once").isEmpty();
        assertThat(texts(listed(mid).get("channels"))).isEmpty();

        Reply again = routed.call("DELETE", path, null);
        assertError(again, 404, "unknown_channel_account", "channel");
        assertThat(json(again).get("message").asText()).isEqualTo("merchant " + mid + " has no wechat credentials");
        assertError(routed.call("DELETE", "/merchants/" + mid + "/channels/Not!A!Name", null), 404, "unknown_channel", "channel");
    }

    @Test
    void theStoredRowIsNotPlaintext() throws Exception {
        String mid = newMerchant();
        assertThat(routed.call("PUT", "/merchants/" + mid + "/channels/wechat", wechat(SECRET)).status()).isEqualTo(200);
        String stored = storedRow(mid, "wechat");
        assertThat(stored).startsWith("v1:").doesNotContain(SECRET).doesNotContain(APPID).doesNotContain(MCH_ID)
                .doesNotContain("appid").doesNotContain("key");
    }

    @Test
    void aRowCopiedToAnotherMerchantDoesNotDecrypt() throws Exception {
        String owner = newMerchant();
        String thief = newMerchant();
        assertThat(routed.call("PUT", "/merchants/" + owner + "/channels/wechat", wechat(SECRET)).status()).isEqualTo(200);
        try (Connection c = routed.database.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO merchant_channels (mid, channel, secret_enc, updated_at) "
                     + "SELECT ?, channel, secret_enc, updated_at FROM merchant_channels WHERE mid = ? AND channel = 'wechat'")) {
            ps.setString(1, thief);
            ps.setString(2, owner);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        int from = LOGGED.list.size();
        // a fresh instance, as another node would read it (nothing cached)
        ChannelAccounts accounts = new ChannelAccounts(routed.database, KeyCipher.of(routed.settings.keys()),
                TestChannels.create(), Clock.systemUTC());
        assertThat(accounts.forOrder(thief, "wechat")).isEmpty();
        assertThat(accounts.channelsOf(thief)).isEmpty();
        assertThat(List.copyOf(LOGGED.list).subList(from, LOGGED.list.size())).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).contains(thief).contains("wechat").contains("cannot be read");
        });
        assertThat(accounts.forOrder(owner, "wechat")).as("the owner's row still reads").isPresent();
    }

    private static String storedRow(String mid, String channel) throws SQLException {
        try (Connection c = routed.database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT secret_enc FROM merchant_channels WHERE mid = ? AND channel = ?")) {
            ps.setString(1, mid);
            ps.setString(2, channel);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
