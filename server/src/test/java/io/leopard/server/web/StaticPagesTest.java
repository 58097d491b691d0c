package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The developer's pages in memory: the playground only when asked, the OpenAPI file and /docs always, all from the jar. */
class StaticPagesTest {
    private static RoutedDemo off;
    private static RoutedDemo on;

    @BeforeAll
    static void start() throws Exception {
        off = RoutedDemo.start(Map.of());
        on = RoutedDemo.start(Map.of("playground.enabled", "true", "path-prefix", "/v2"));
    }

    @AfterAll
    static void stop() {
        off.close();
        on.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/playground", "/playground/playground.js", "/playground/md5.js", "/playground/playground.css"})
    void thePlaygroundIsNotThereByDefault(String path) throws Exception {
        HttpResponse<String> res = off.send("GET", path);
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(IndependentVerifier.fields(res.body())).containsEntry("errCode", "NOT_FOUND");
    }

    @Test
    void thePlaygroundKnowsThePrefixAndLoadsNothingFromElsewhere() {
        HttpResponse<String> res = on.send("GET", "/playground");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(res.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'");
        assertThat(res.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(res.body()).contains("<meta name=\"leopard-prefix\" content=\"/v2\">", "name=\"viewport\"")
                .doesNotContain("http://", "https://");
        for (String asset : new String[] {"/playground/playground.js", "/playground/md5.js"}) {
            HttpResponse<String> js = on.send("GET", asset);
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=UTF-8");
        }
        assertThat(on.send("GET", "/playground/playground.css").headers().firstValue("Content-Type"))
                .hasValue("text/css; charset=UTF-8");
    }

    @Test
    void theOpenApiFileNamesThePrefixAsItsServer() {
        HttpResponse<String> res = on.send("GET", "/openapi.yaml");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/yaml; charset=UTF-8");
        assertThat(res.body()).startsWith("openapi: 3.1.0").contains("\n  - url: /v2\n", "/query/single:", "/query/diagnose:");
        assertThat(off.send("GET", "/openapi.yaml").body()).contains("\n  - url: /\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/docs", "/docs/docs.js", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js"})
    void theDocsComeFromTheJar(String path) {
        HttpResponse<String> res = off.send("GET", path);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isNotEmpty();
        HttpResponse<String> head = off.send("HEAD", path);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(
                String.valueOf(res.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    }

    @Test
    void theIndexNamesThePages() throws Exception {
        assertThat(IndependentVerifier.fields(on.send("GET", "/").body())).containsEntry("openapi", "GET /openapi.yaml")
                .containsEntry("docs", "GET /docs").containsEntry("playground", "GET /playground");
        assertThat(IndependentVerifier.fields(off.send("GET", "/").body())).containsEntry("docs", "GET /docs")
                .doesNotContainKey("playground");
    }

    @Test
    void pagesAreReadOnly() throws Exception {
        HttpResponse<String> res = on.send("POST", "/playground");
        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(on.send("GET", "/v2/playground").statusCode()).isEqualTo(404);
    }
}
