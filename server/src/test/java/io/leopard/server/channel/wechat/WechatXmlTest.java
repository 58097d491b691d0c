package io.leopard.server.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leopard.server.channel.ChannelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WechatXmlTest {

    @Test
    void writesFlatCdataAndReadsItBack() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("appid", "wx2421b1c4370ec43b");
        fields.put("body", "a <b> & \"c\" ]]> 中文");
        fields.put("empty", "");
        String xml = WechatXml.write(fields);
        assertThat(xml).startsWith("<xml><appid><![CDATA[wx2421b1c4370ec43b]]></appid>").endsWith("</xml>");
        assertThat(WechatXml.parse(xml)).containsExactlyEntriesOf(fields);
    }

    @Test
    void readsWechatsOwnAnswerLayout() {
        String answer = """
                <xml>
                   <return_code><![CDATA[SUCCESS]]></return_code>
                   <total_fee>100</total_fee>
                   <!-- a comment -->
                   <result_code><![CDATA[SUCCESS]]></result_code>
                </xml>""";
        assertThat(WechatXml.parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + answer))
                .containsExactly(Map.entry("return_code", "SUCCESS"), Map.entry("total_fee", "100"), Map.entry("result_code", "SUCCESS"));
    }

    @Test
    void refusesWhatItCannotWrite() {
        assertThatIllegalArgumentException().isThrownBy(() -> WechatXml.write(Map.of("a b", "x")));
        assertThatIllegalArgumentException().isThrownBy(() -> WechatXml.write(Map.of("a", "\u0001")));
    }

    @Test
    void refusesAnExternalEntityAndNeverReadsTheFile(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<xml><return_code>FAIL</return_code><return_msg>&xxe;</return_msg></xml>";
        ChannelException e = malformed(xxe);
        assertThat(e.getMessage()).doesNotContain("TOP-SECRET").doesNotContain(secret.toString());
    }

    @Test
    void refusesEveryDoctypeIncludingEntityExpansion() {
        malformed("<!DOCTYPE xml><xml><a>1</a></xml>");
        malformed("<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><a>&b;</a></xml>");
        malformed("<!DOCTYPE xml SYSTEM \"http://127.0.0.1:1/x.dtd\"><xml><a>1</a></xml>");
    }

    @Test
    void refusesXinclude() {
        malformed("<xml xmlns:xi=\"http://www.w3.org/2001/XInclude\"><a><xi:include href=\"file:///etc/passwd\" parse=\"text\"/></a></xml>");
    }

    @Test
    void refusesWhatIsNotOneFlatXmlElement() {
        malformed("");
        malformed("not xml");
        malformed("<xml><a>1</a>");
        malformed("<json><a>1</a></json>");
        malformed("<xml><a><b>1</b></a></xml>");
        malformed("<xml><a>1</a><a>2</a></xml>");
        malformed("<xml>loose text<a>1</a></xml>");
        malformed("<xml><a>1</a></xml><xml/>");
    }

    @Test
    void aMalformedAnswerCarriesNoParserMessageOrCause() {
        ChannelException e = malformed("<xml><a>secret-ish</b></xml>");
        assertThat(e.getCause()).isNull();
        assertThat(e.getMessage()).doesNotContain("secret-ish");
    }

    private static ChannelException malformed(String text) {
        ChannelException e = catchThrowableOfType(ChannelException.class, () -> WechatXml.parse(text));
        assertThat(e).as("refused: %s", text).isNotNull();
        assertThat(e.failure()).isEqualTo(ChannelException.Failure.MALFORMED);
        return e;
    }
}
