package io.leopard.server.web;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The pages for a merchant's developer, all from the jar (no CDN), outside the path prefix as the
 * index is: {@code GET /openapi.yaml} (the contract as OpenAPI 3.1), {@code /docs} (it rendered by
 * Swagger UI from its webjar), and, when {@code playground.enabled}, {@code /playground} (the
 * signing playground, which signs in the browser: the key never leaves it). Read once at start-up;
 * a file missing from the jar fails the start.
 */
final class StaticPages implements Endpoints {
    static final String OPENAPI = "/openapi.yaml";
    static final String DOCS = "/docs";
    static final String PLAYGROUND = "/playground";
    private static final String SWAGGER_UI = "/META-INF/resources/webjars/swagger-ui/";
    /** Scripts and styles from this origin only; the pages call only this origin. */
    private static final Header PAGE_POLICY = HeaderValues.createCached(HeaderNames.create("Content-Security-Policy"),
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                    + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    /** Swagger UI sets style attributes from its script. */
    private static final Header DOCS_POLICY = HeaderValues.createCached(HeaderNames.create("Content-Security-Policy"),
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    private static final Header NO_SNIFF = HeaderValues.createCached(HeaderNames.create("X-Content-Type-Options"), "nosniff");

    private record Page(byte[] body, Header type, Header policy) {
    }

    private final Map<String, Page> pages = new LinkedHashMap<>();

    /** The pages for endpoints under {@code prefix}; the playground only when {@code playground}. */
    StaticPages(String prefix, boolean playground) {
        String yaml = text("/openapi/openapi.yaml").replace("\n  - url: /\n", "\n  - url: " + (prefix.isEmpty() ? "/" : prefix) + "\n");
        pages.put(OPENAPI, new Page(yaml.getBytes(StandardCharsets.UTF_8), type("application/yaml; charset=UTF-8"), PAGE_POLICY));
        String swagger = SWAGGER_UI + swaggerUiVersion() + "/";
        pages.put(DOCS, page("/openapi/docs.html", "text/html; charset=UTF-8", DOCS_POLICY));
        pages.put(DOCS + "/docs.js", page("/openapi/docs.js", "text/javascript; charset=UTF-8", DOCS_POLICY));
        pages.put(DOCS + "/swagger-ui.css", page(swagger + "swagger-ui.css", "text/css; charset=UTF-8", DOCS_POLICY));
        pages.put(DOCS + "/swagger-ui-bundle.js", page(swagger + "swagger-ui-bundle.js", "text/javascript; charset=UTF-8", DOCS_POLICY));
        if (playground) {
            String html = text("/playground/playground.html")
                    .replace("<meta name=\"leopard-prefix\" content=\"\">", "<meta name=\"leopard-prefix\" content=\"" + prefix + "\">");
            pages.put(PLAYGROUND, new Page(html.getBytes(StandardCharsets.UTF_8), type("text/html; charset=UTF-8"), PAGE_POLICY));
            pages.put(PLAYGROUND + "/playground.js", page("/playground/playground.js", "text/javascript; charset=UTF-8", PAGE_POLICY));
            pages.put(PLAYGROUND + "/md5.js", page("/playground/md5.js", "text/javascript; charset=UTF-8", PAGE_POLICY));
            pages.put(PLAYGROUND + "/playground.css", page("/playground/playground.css", "text/css; charset=UTF-8", PAGE_POLICY));
        }
    }

    @Override
    public void routing(HttpRules rules) {
        pages.forEach((path, page) -> rules.get(path, (req, res) -> serve(path, page, req, res))
                .head(path, (req, res) -> serve(path, page, req, res)));
    }

    @Override
    public Map<String, Allowed> paths() {
        Map<String, Allowed> paths = new LinkedHashMap<>();
        pages.keySet().forEach(path -> paths.put(path, Allowed.GET_HEAD));
        return paths;
    }

    private static void serve(String path, Page page, ServerRequest req, ServerResponse res) {
        Exchange exchange = Exchange.of(req);
        exchange.processing();
        exchange.metricName(path);
        res.header(page.policy());
        res.header(NO_SNIFF);
        Replies.send(req, res, 200, page.body(), page.type());
    }

    private static Header type(String value) {
        return HeaderValues.createCached(HeaderNames.CONTENT_TYPE, value);
    }

    private static Page page(String resource, String type, Header policy) {
        return new Page(bytes(resource), type(type), policy);
    }

    private static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = StaticPages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
        }
    }

    /** The version of the Swagger UI webjar on the class path: its files live under a folder named after it. */
    private static String swaggerUiVersion() {
        Properties properties = new Properties();
        try (InputStream in = StaticPages.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the Swagger UI webjar is missing from the jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Swagger UI webjar's version", e);
        }
        return properties.getProperty("version");
    }
}
