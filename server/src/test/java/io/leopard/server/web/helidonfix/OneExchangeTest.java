package io.leopard.server.web.helidonfix;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte-level recognition of one-exchange requests and of answers that close. */
class OneExchangeTest {

    private static DataReader reading(String bytes) {
        byte[][] once = {bytes.getBytes(StandardCharsets.ISO_8859_1)};
        return DataReader.create(() -> {
            byte[] b = once[0];
            once[0] = null;
            return b;
        });
    }

    private static int lineLength(DataReader reader) {
        return reader.findNewLine(4096);
    }

    @Test
    void http10IsRecognisedOnlyAtTheEndOfTheRequestLine() {
        DataReader r = reading("POST /query/single HTTP/1.0\r\nContent-Length: 0\r\n\r\n");
        assertThat(OneExchange.isHttp10(r, lineLength(r))).isTrue();
        DataReader r11 = reading("POST /query/single HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(OneExchange.isHttp10(r11, lineLength(r11))).isFalse();
        DataReader inPath = reading("GET /x%20HTTP/1.0/y HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(OneExchange.isHttp10(inPath, lineLength(inPath))).isFalse();
        DataReader shortLine = reading("GET\r\n\r\n");
        assertThat(OneExchange.isHttp10(shortLine, lineLength(shortLine))).isFalse();
    }

    @Test
    void anHttp10RequestLineBecomesHttp11ThatClosesAndTheRestIsUntouched() {
        DataReader r = reading("POST /query/single HTTP/1.0\r\nContent-Length: 5\r\n\r\nmid=1");
        byte[] start = OneExchange.asHttp11(r, lineLength(r));
        assertThat(new String(start, StandardCharsets.US_ASCII)).isEqualTo("POST /query/single HTTP/1.1\r\nConnection: close\r\n");
        assertThat(r.readAsciiString(r.available())).isEqualTo("Content-Length: 5\r\n\r\nmid=1");
    }

    @Test
    void aRequestAsksToCloseWhenItsConnectionHeaderNamesClose() {
        String[] closing = {"Connection: close", "connection:close", "Connection: keep-alive, Close", "CONNECTION:  close , upgrade"};
        for (String header : closing) {
            DataReader r = reading("GET / HTTP/1.1\r\nHost: x\r\n" + header + "\r\n\r\n");
            assertThat(OneExchange.requestAsksToClose(r, lineLength(r))).as(header).isTrue();
        }
        String[] notClosing = {"Connection: keep-alive", "X-Connection: close", "Connection: closed", "Connection: enclose"};
        for (String header : notClosing) {
            DataReader r = reading("GET / HTTP/1.1\r\nHost: x\r\n" + header + "\r\n\r\n");
            assertThat(OneExchange.requestAsksToClose(r, lineLength(r))).as(header).isFalse();
        }
        DataReader inBody = reading("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 19\r\n\r\nConnection: close\r\n");
        assertThat(OneExchange.requestAsksToClose(inBody, lineLength(inBody))).as("in the body").isFalse();
        DataReader unfinished = reading("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        assertThat(OneExchange.requestAsksToClose(unfinished, lineLength(unfinished))).as("headers not all in").isFalse();
    }

    @Test
    void anAnswerSaysCloseInItsHeaderBlockOnly() {
        assertThat(OneExchange.answerSaysClose(BufferData.create("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n{}")))
                .isTrue();
        assertThat(OneExchange.answerSaysClose(BufferData.create("HTTP/1.1 200 OK\r\nCONNECTION: CLOSE\r\nContent-Length: 2\r\n\r\n")))
                .isTrue();
        assertThat(OneExchange.answerSaysClose(BufferData.create("HTTP/1.1 200 OK\r\nContent-Length: 21\r\n\r\n\r\nconnection: close\r\n")))
                .as("in the body").isFalse();
        assertThat(OneExchange.answerSaysClose(BufferData.create("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n"))).isFalse();
    }
}
