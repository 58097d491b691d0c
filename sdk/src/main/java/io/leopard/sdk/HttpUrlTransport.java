package io.leopard.sdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The JDK's {@link HttpURLConnection}: available on Java 8, HTTPS through the JVM's trust store,
 * keep-alive pooling by the JDK. Redirects are not followed (a POST must reach Leopard itself).
 */
final class HttpUrlTransport implements Transport {
    /** Answers are small (a full batch is ~15 KB); anything far larger is not Leopard. */
    static final int MAX_ANSWER_BYTES = 1 << 20;

    @Override
    public Answer post(String url, byte[] formBody, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) new URL(url).openConnection();
        conn.setRequestMethod("POST");
        conn.setConnectTimeout(connectTimeoutMillis);
        conn.setReadTimeout(readTimeoutMillis);
        conn.setInstanceFollowRedirects(false);
        conn.setUseCaches(false);
        conn.setDoOutput(true);
        conn.setFixedLengthStreamingMode(formBody.length);
        conn.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
        conn.setRequestProperty("Accept", "application/json");
        try (OutputStream out = conn.getOutputStream()) {
            out.write(formBody);
        }
        int status = conn.getResponseCode();
        InputStream in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
        if (in == null) {
            return new Answer(status, new byte[0]);
        }
        try (InputStream body = in) {
            return new Answer(status, readLimited(body));
        }
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_ANSWER_BYTES) {
                throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
            }
        }
        return out.toByteArray();
    }
}
