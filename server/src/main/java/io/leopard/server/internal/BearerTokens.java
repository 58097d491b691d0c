package io.leopard.server.internal;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.leopard.server.web.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Lets through only requests that carry one of the configured tokens as
 * {@code Authorization: Bearer <token>}; every other request gets the same 401, whatever was wrong
 * (no header, another scheme, a wrong token), so the answer tells a guesser nothing. Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every configured token,
 * so neither a token's length nor which one matched shows in the time taken. The health paths are
 * open: they tell nothing, and the node's self-probe asks them.
 */
final class BearerTokens implements Filter {
    private static final HeaderName AUTHORIZATION = HeaderNames.AUTHORIZATION;
    private static final String SCHEME = "Bearer ";
    private static final Set<String> OPEN = Set.of("/healthz", "/readyz");

    private final List<byte[]> digests;

    BearerTokens(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no tokens");
        }
        this.digests = tokens.stream().map(BearerTokens::digest).toList();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (OPEN.contains(req.path().rawPath())) {
            chain.proceed();
            return;
        }
        String header = req.headers().first(AUTHORIZATION).orElse(null);
        if (!accepts(header)) {
            Exchange exchange = Exchange.of(req);
            exchange.processing();
            exchange.metricName("internal");
            InternalReplies.error(req, res, 401, "unauthorized", "a valid bearer token is required (Authorization: Bearer <token>)", null);
            return;
        }
        chain.proceed();
    }

    /** Whether {@code header} is {@code Bearer} and one of the tokens; every token is compared whatever the first gave. */
    boolean accepts(String header) {
        if (header == null || header.length() <= SCHEME.length() || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] offered = digest(header.substring(SCHEME.length()).trim());
        boolean found = false;
        for (byte[] d : digests) {
            found |= MessageDigest.isEqual(d, offered);
        }
        return found;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
