package io.leopard.sdk;

import java.io.IOException;

/** Posts a form body and returns the raw answer. The seam tests replace; production uses {@link HttpUrlTransport}. */
interface Transport {
    Answer post(String url, byte[] formBody, int connectTimeoutMillis, int readTimeoutMillis) throws IOException;

    /** An HTTP answer: status and body bytes. */
    final class Answer {
        final int status;
        final byte[] body;

        Answer(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }
    }
}
