package io.leopard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The key table: complete, every entry documented, its defaults valid, its secrets the ones that must never show. */
class KeyTest {

    /** The keys whose values are never shown. Dropping a key's secret flag must fail a test. */
    private static final List<String> SECRETS = List.of("db.password", "master-key", "master-key-previous", "tls.keystore-password",
            "internal.tokens", "internal.tls.keystore-password", "internal.tls.truststore-password", "events.amqp.uri",
            "redis.url");

    @Test
    void everyKeyConstantIsInTheTable() throws IllegalAccessException {
        List<Key<?>> constants = new ArrayList<>();
        for (Field f : Key.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Key.class) {
                constants.add((Key<?>) f.get(null));
            }
        }
        assertThat(Key.ALL).containsExactlyInAnyOrderElementsOf(constants).doesNotHaveDuplicates();
    }

    @Test
    void everyKeyIsDescribedAndItsDefaultIsValid() {
        for (Key<?> key : Key.ALL) {
            assertThat(key.description()).as(key.name()).isNotBlank();
            assertThat(key.shape()).as(key.name()).isNotBlank();
            assertThat(key.name()).as(key.name()).matches("[a-z]+([.-][a-z]+)*");
            assertThatCode(() -> key.parse(key.defaultText())).as(key.name()).doesNotThrowAnyException();
        }
    }

    @Test
    void theSecretKeysAreExactlyThese() {
        assertThat(Key.ALL.stream().filter(Key::secret).map(Key::name)).containsExactlyInAnyOrderElementsOf(SECRETS);
    }

    @Test
    void noSecretShowsInTheEffectiveConfigurationOrInAnyRecord() {
        Map<String, String> values = new HashMap<>();
        for (String secret : SECRETS) {
            values.put(secret, "s3cr3t-" + secret.replace('.', '-'));
        }
        values.put("tls.keystore", "/k.p12"); // so that the keystore password reaches a record
        values.put("internal.tls.keystore", "/i.p12");
        values.put("internal.tls.truststore", "/t.p12");
        values.put("internal.tokens", "s3cr3t-internal-tokens-1,s3cr3t-internal-tokens-2");
        values.put("events.amqp.uri", "amqp://guest:s3cr3t-events@127.0.0.1:5672/leopard");
        values.put("redis.url", "redis://default:s3cr3t-redis@127.0.0.1:6379/0");
        LeopardConfig c = LeopardConfig.of(values);
        for (String secret : SECRETS) {
            assertThat(c.describe()).contains(secret + "=********\n");
        }
        assertThat(c.describe()).doesNotContain("s3cr3t");
        assertThat(c.settings().toString()).doesNotContain("s3cr3t");
        assertThat(c.settings().web().tls().keystorePassword()).isEqualTo("s3cr3t-tls-keystore-password");
        assertThat(c.settings().database().password()).isEqualTo("s3cr3t-db-password");
        assertThat(c.settings().keys().masterKey()).isEqualTo("s3cr3t-master-key");
        assertThat(c.settings().keys().masterKeyPrevious()).isEqualTo("s3cr3t-master-key-previous");
        assertThat(c.settings().internal().tokens()).containsExactly("s3cr3t-internal-tokens-1", "s3cr3t-internal-tokens-2");
        assertThat(c.settings().internal().tls().truststorePassword()).isEqualTo("s3cr3t-internal-tls-truststore-password");
        assertThat(c.settings().events().shownUri()).isEqualTo("amqp://127.0.0.1:5672/leopard");
        assertThat(c.settings().redis().shownUrl()).isEqualTo("redis://127.0.0.1:6379/0");
        assertThat(c.settings().redis().url()).isEqualTo("redis://default:s3cr3t-redis@127.0.0.1:6379/0");
    }

    @Test
    void aBadTokenIsNamedByItsPlaceNotItsValue() {
        assertThatThrownBy(() -> LeopardConfig.of(Map.of("internal.tokens", "long-enough-token-123,short")))
                .isInstanceOf(io.leopard.server.problem.ConfigException.class)
                .hasMessageContaining("internal.tokens: token 2 of 2").hasMessageNotContaining("short");
        assertThatThrownBy(() -> LeopardConfig.of(Map.of("events.amqp.uri", "http://guest:pw@host")))
                .hasMessageContaining("events.amqp.uri must start with amqp://").hasMessageNotContaining("pw");
        assertThat(LeopardConfig.of(Map.of("internal.tokens", " ")).settings().internal()).as("blank: off").isNull();
    }

    @Test
    void anEmptySecretIsShownEmptyAndAnUnsetOneUnset() {
        String shown = LeopardConfig.of(Map.of()).describe();
        assertThat(shown).contains("db.password=\n", "tls.keystore-password=\n", "master-key=(unset)\n", "master-key-previous=(unset)\n");
    }

    @Test
    void keysAreFoundIgnoringCaseWithDotsDashesAndUnderscoresAlike() {
        assertThat(Key.find("db.pool-size")).isSameAs(Key.DB_POOL_SIZE);
        assertThat(Key.find("DB_POOL_SIZE")).isSameAs(Key.DB_POOL_SIZE);
        assertThat(Key.find("db-pool.SIZE")).isSameAs(Key.DB_POOL_SIZE);
        assertThat(Key.find("MASTER_KEY_PREVIOUS")).isSameAs(Key.MASTER_KEY_PREVIOUS);
        assertThat(Key.find("dbpoolsize")).isNull();
    }

    /** The README's configuration table lists every key of the table, and no other. */
    @Test
    void theReadmeListsEveryKey() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("^\\| ([^|]+) \\|", Pattern.MULTILINE).matcher(section);
        while (row.find()) {
            Matcher name = Pattern.compile("`([a-z.-]+)`").matcher(row.group(1));
            while (name.find()) {
                documented.add(name.group(1));
            }
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(Key.ALL.stream().map(Key::name).toList());
    }

    @Test
    void theShapesSayTheRanges() {
        assertThat(Key.PORT.shape()).isEqualTo("whole number 0..65535");
        assertThat(Key.MAX_BATCH.shape()).isEqualTo("whole number 1..1000");
        assertThat(Key.SHUTDOWN_DRAIN.shape()).isEqualTo("duration, zero allowed");
        assertThat(Key.SHUTDOWN_GRACE.shape()).isEqualTo("positive duration");
    }
}
