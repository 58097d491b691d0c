package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

/** Which paths reach an endpoint under the configured {@code path-prefix}: the first check of PROTOCOL.md 4.1. */
class QueryHandlerPathTest {

    private static void assertNotFound(String prefix, String path) {
        assertThatThrownBy(() -> QueryHandler.endpointOf(prefix, path)).as(path)
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void withoutAPrefixTheEndpointsAreAtTheRoot() throws Exception {
        assertThat(QueryHandler.endpointOf("", "/query/single")).isEqualTo(Endpoint.SINGLE);
        assertThat(QueryHandler.endpointOf("", "/query/multi")).isEqualTo(Endpoint.MULTI);
        assertThat(QueryHandler.endpointOf("", "/query/brushcard")).isEqualTo(Endpoint.BRUSHCARD);
        assertNotFound("", "/query/nothing");
        assertNotFound("", "/v2/query/single");
    }

    @Test
    void withAPrefixOnlyPathsUnderItReachAnEndpoint() throws Exception {
        assertThat(QueryHandler.endpointOf("/v2", "/v2/query/single")).isEqualTo(Endpoint.SINGLE);
        assertThat(QueryHandler.endpointOf("/v2", "/v2/query/brushcard")).isEqualTo(Endpoint.BRUSHCARD);
        assertNotFound("/v2", "/query/single");
        assertNotFound("/v2", "/v2");
        assertNotFound("/v2", "/v2/");
    }

    @Test
    void anotherPrefixOfTheSameLengthIsNotTheConfiguredOne() {
        assertNotFound("/v2", "/v1/query/single");
        assertNotFound("/v2", "/xx/query/multi");
        assertNotFound("/api/v2", "/api/v3/query/single");
    }
}
