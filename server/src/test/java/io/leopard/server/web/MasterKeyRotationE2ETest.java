package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.testing.LiveLeopard.MID_DISABLED;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.LeopardServer;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.TestChannels;
import io.leopard.server.cli.LeopardCommand;
import io.leopard.server.cli.MasterKeyCommand;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.KeyCipherException;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The master-key rotation procedure of docs/OPERATIONS.md, with a server answering throughout. */
class MasterKeyRotationE2ETest {
    private static final String CHANNEL_KEY = "wechatApiKeyOfTheE2eTest01234567";

    @Test
    void aServerWithBothKeysKeepsVerifyingAcrossTheRotation() throws Exception {
        String oldKey = MasterKey.generate();
        String newKey = MasterKey.generate();
        LeopardConfig seeded = LiveLeopard.seeded(Map.of("master-key", oldKey, "merchant-refresh", "1h"));
        LeopardConfig during = seeded.with(Map.of("master-key", newKey, "master-key-previous", oldKey));

        LiveLeopard demo = LiveLeopard.over(LeopardServer.start(during.settings()));
        try {
            assertSucceeds(demo);
            // a channel account stored before the new key was deployed
            new ChannelAccounts(demo.server.database(), KeyCipher.of(seeded.settings().keys()), TestChannels.create(),
                    Clock.systemUTC()).set(MID, "wechat", Map.of("appid", "wx1", "mchId", "1900000109", "key", CHANNEL_KEY));
            StringWriter out = new StringWriter();
            CommandLine rotate = new CommandLine(new MasterKeyCommand(() -> during)).setOut(new PrintWriter(out, true));
            assertThat(rotate.execute("rotate")).isEqualTo(0);
            assertThat(out.toString()).contains("master key " + MasterKey.of(newKey).id() + ": re-encrypted 3 merchant keys and 0 keys")
                    .contains("master key " + MasterKey.of(newKey).id() + ": re-encrypted 1 channel accounts (of 1;")
                    .contains("Every merchant key and channel account is now under master key " + MasterKey.of(newKey).id())
                    .doesNotContain(newKey).doesNotContain(oldKey).doesNotContain(KEY).doesNotContain(CHANNEL_KEY);
            assertSucceeds(demo); // from the cache

            // a change made meanwhile by another process: the server reloads the re-encrypted rows
            new MerchantStore(demo.server.database(), KeyCipher.of(during.settings().keys())).setEnabled(MID_DISABLED, true);
            assertThat(demo.server.merchants().refreshNow()).isTrue();
            assertSucceeds(demo);
        } finally {
            demo.close();
        }

        // master-key-previous dropped: the new key alone serves everything
        LiveLeopard after = LiveLeopard.over(LeopardServer.start(seeded.with("master-key", newKey).settings()));
        try {
            assertSucceeds(after);
            assertThat(new ChannelAccounts(after.server.database(), KeyCipher.of(seeded.with("master-key", newKey).settings().keys()),
                    TestChannels.create(), Clock.systemUTC()).forOrder(MID, "wechat"))
                    .hasValueSatisfying(a -> assertThat(a.credentials().get("key")).isEqualTo(CHANNEL_KEY));
        } finally {
            after.close();
        }
        // and the old key alone no longer can
        assertThatThrownBy(() -> LeopardServer.start(seeded.settings())).isInstanceOf(KeyCipherException.class)
                .hasMessageContaining(MasterKey.of(newKey).id());
    }

    @Test
    void generatePrintsAFreshKeyAndIsRegistered() {
        StringWriter out = new StringWriter();
        CommandLine cli = LeopardCommand.commandLine(Map.of()).setOut(new PrintWriter(out, true));
        assertThat(cli.execute("master-key", "generate")).isEqualTo(0);
        String key = out.toString().trim();
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(MasterKey.of(key).id()).matches("[0-9a-f]{8}");
        assertThat(key).isNotEqualTo(MasterKey.generate());
    }

    private static void assertSucceeds(LiveLeopard demo) throws Exception {
        for (String[] m : new String[][] {{MID, KEY}, {MID2, KEY2}}) {
            HttpResponse<String> res = demo.postSigned("/query/single", params(m[0], "M201611101010100002"), m[1]);
            Map<String, String> f = IndependentVerifier.fields(res.body());
            assertThat(f).as(res.body()).containsEntry("code", "SUCCESS");
            assertThat(IndependentVerifier.verify(f, m[1], "MD5")).isTrue();
        }
    }
}
