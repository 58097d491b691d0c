package io.leopard.server.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code leopard.access} logger: method, path, mid, outcome, HTTP
 * status, latency, request id. Never a key, a signature or a string-to-sign; untrusted text is
 * cut short and stripped of control characters so it cannot forge log lines.
 */
public final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("leopard.access");

    private AccessLog() {
    }

    public static void record(String method, String path, String mid, String outcome, int status, long startNanos, String requestId) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long micros = (System.nanoTime() - startNanos) / 1_000;
        LOG.info("method={} path={} mid={} errCode={} status={} latencyUs={} requestId={}",
                clean(method), clean(path), mid == null ? "-" : mid, outcome, status, micros, requestId);
    }

    private static String clean(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F || c == ' ' ? '?' : c);
        }
        return sb.toString();
    }
}
