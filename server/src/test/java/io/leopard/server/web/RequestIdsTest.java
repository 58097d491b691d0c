package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    private final RequestIds ids = new RequestIds();

    @Test
    void aShortPlainIdOfTheCallerIsKept() {
        assertThat(ids.next("abc-DEF_123.x")).isEqualTo("abc-DEF_123.x");
        assertThat(ids.next("z".repeat(64))).isEqualTo("z".repeat(64));
        assertThat(ids.next("a")).isEqualTo("a");
    }

    @Test
    void anyOtherIdIsReplacedByACounterUnderTheProcessPrefix() {
        String first = ids.next(null);
        assertThat(first).matches("[0-9a-f]{8}-1");
        String prefix = first.substring(0, 9);
        assertThat(ids.next("")).isEqualTo(prefix + "2");
        assertThat(ids.next("z".repeat(65))).isEqualTo(prefix + "3");
        assertThat(ids.next("has space")).isEqualTo(prefix + "4");
        assertThat(ids.next("evil\r\nX-Injected: 1")).isEqualTo(prefix + "5");
        assertThat(ids.next("ünï")).isEqualTo(prefix + "6");
        assertThat(ids.next("a/b")).isEqualTo(prefix + "7");
        assertThat(ids.next("@")).as("just below A").isEqualTo(prefix + "8");
        assertThat(ids.next("[")).as("just above Z").isEqualTo(prefix + "9");
        assertThat(ids.next("`")).as("just below a").isEqualTo(prefix + "a");
        assertThat(ids.next("{")).as("just above z").isEqualTo(prefix + "b");
        assertThat(ids.next("/")).as("just below 0").isEqualTo(prefix + "c");
        assertThat(ids.next(":")).as("just above 9").isEqualTo(prefix + "d");
    }

    @Test
    void generatedIdsAreUniqueAndEachProcessHasItsOwnPrefix() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(ids.next(null));
        }
        assertThat(seen).hasSize(1000);
        assertThat(new RequestIds().next(null)).isNotEqualTo(new RequestIds().next(null));
    }
}
