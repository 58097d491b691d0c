package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeopardClientBuilderTest {

    @Test
    void argumentsAreCheckedAsTheyArrive() {
        LeopardClient.Builder b = LeopardClient.builder();
        assertThatThrownBy(() -> b.mid(null)).isInstanceOf(NullPointerException.class).hasMessage("mid == null");
        assertThatThrownBy(() -> b.mid("12345")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15 digits");
        assertThatThrownBy(() -> b.key("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.baseUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.baseUrl("not a url")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.baseUrl("http://h/v2?x=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.readTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxBatch(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.brushcardPolling(0, Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.of(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildRejectsWhatIsMissingWithAnActionableMessage() {
        assertThatThrownBy(() -> LeopardClient.builder().build()).hasMessageContaining("baseUrl is required");
        assertThatThrownBy(() -> LeopardClient.builder().baseUrl("http://127.0.0.1:8080").build())
                .hasMessageContaining("mid is required");
        assertThatThrownBy(() -> LeopardClient.builder().baseUrl("http://127.0.0.1:8080").mid(MID).build())
                .hasMessageContaining("key is required");
    }

    @Test
    void theKeyIsNeverPrinted() {
        LeopardClient c = LeopardClient.builder().baseUrl("https://pay.example.com/v2/").mid(MID).key(KEY).build();
        assertThat(c.toString()).doesNotContain(KEY).contains("key=********").contains(MID);
        assertThat(c.baseUrl()).isEqualTo("https://pay.example.com/v2");
    }
}
