package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MediaTypeTest {

    private static ErrorCode failureOf(String contentType) {
        try {
            MediaType.parse(contentType);
        } catch (ProtocolException e) {
            return e.code();
        }
        throw new AssertionError(contentType + " was accepted");
    }

    @Test
    void noContentTypeIsAUtf8Form() throws Exception {
        assertThat(MediaType.parse(null)).isEqualTo(new MediaType(MediaType.Kind.FORM, StandardCharsets.UTF_8));
        assertThat(MediaType.parse("  ")).isEqualTo(new MediaType(MediaType.Kind.FORM, StandardCharsets.UTF_8));
    }

    @Test
    void formAndJsonInAnyCaseWithOrWithoutACharset() throws Exception {
        assertThat(MediaType.parse("application/x-www-form-urlencoded").kind()).isEqualTo(MediaType.Kind.FORM);
        assertThat(MediaType.parse(" Application/X-WWW-Form-URLEncoded ; charset=UTF-8").charset())
                .isEqualTo(StandardCharsets.UTF_8);
        MediaType json = MediaType.parse("application/json");
        assertThat(json).isEqualTo(new MediaType(MediaType.Kind.JSON, StandardCharsets.UTF_8));
    }

    @Test
    void theCharsetParameterIsHonouredQuotedOrNot() throws Exception {
        assertThat(MediaType.parse("application/x-www-form-urlencoded; charset=GBK"))
                .isEqualTo(new MediaType(MediaType.Kind.FORM, Charset.forName("GBK")));
        assertThat(MediaType.parse("application/json;CHARSET=\"ISO-8859-1\"").charset())
                .isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(MediaType.parse("application/json; boundary=x; charset = UTF-16").charset())
                .isEqualTo(StandardCharsets.UTF_16);
        assertThat(MediaType.parse("application/json; =GBK; charsetx=GBK").charset())
                .as("only a parameter named charset counts").isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void otherTypesAndUnknownCharsetsAreUnsupported() {
        assertThat(failureOf("text/plain")).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED);
        assertThat(failureOf("multipart/form-data; boundary=x")).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED);
        assertThat(failureOf(";")).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED);
        assertThat(failureOf("application/json; charset=no-such-charset")).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED);
        assertThat(failureOf("application/json; charset=\"bad name\"")).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED);
        assertThatThrownBy(() -> MediaType.parse("application/json; charset=nope")).hasMessageContaining("unknown charset");
    }
}
