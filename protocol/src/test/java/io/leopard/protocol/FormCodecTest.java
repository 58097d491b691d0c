package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormCodecTest {

    private static Map<String, String> decode(String body) throws ProtocolException {
        return FormCodec.decode(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    @Test
    void decodesPairsInOrder() throws Exception {
        assertThat(decode("b=2&a=%E6%9D%AF%E5%85%B7&c=x+y&d=&e"))
                .containsExactly(Map.entry("b", "2"), Map.entry("a", "杯具"), Map.entry("c", "x y"),
                        Map.entry("d", ""), Map.entry("e", ""));
        assertThat(decode("")).isEmpty();
        assertThat(decode("a=1&&b=2&")).containsOnlyKeys("a", "b");
        assertThat(decode("a=x=y")).containsEntry("a", "x=y");
    }

    @Test
    void rejectsRepeatedNamesBrokenEscapesAndBadBytes() {
        assertThatThrownBy(() -> decode("a=1&a=2")).hasMessageContaining("repeated");
        assertThatThrownBy(() -> decode("a=%E6%9")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decode("a=%zz")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decode("a=%FF%FE")).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> FormCodec.decode(new byte[] {'a', '=', (byte) 0xC3}, StandardCharsets.UTF_8))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decode("=1")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> decode("a%20b=1")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void honoursOtherCharsets() throws Exception {
        Charset gbk = Charset.forName("GBK");
        byte[] body = ("remark=" + new String("杯具".getBytes(gbk), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(FormCodec.decode(body, gbk)).containsEntry("remark", "杯具");
    }

    @Test
    void encodeRoundTrips() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("remark", "杯具 & =+%");
        p.put("orderNo", "A|B*C");
        assertThat(decode(FormCodec.encode(p))).isEqualTo(p);
    }
}
