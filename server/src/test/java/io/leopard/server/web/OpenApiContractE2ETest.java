package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.CARD_PAID;
import static io.leopard.server.testing.LiveLeopard.INIT;
import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static io.leopard.server.testing.LiveLeopard.MID_DISABLED;
import static io.leopard.server.testing.LiveLeopard.PAID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.server.LeopardServer;
import io.leopard.server.access.CidrRange;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.store.Database;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract test: live answers of a real server, for every endpoint and every failure it can be
 * made to give here, validated against the schemas of {@code openapi.yaml} as the server serves it
 * (JSON Schema 2020-12, OpenAPI 3.1's dialect); and the file names every endpoint and errCode.
 */
class OpenApiContractE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "contract-internal-token-0123456789";
    private static LiveLeopard live;
    private static JsonNode openApi;

    @BeforeAll
    static void start() throws Exception {
        live = LiveLeopard.startWithoutRateLimits(Map.of("internal.tokens", TOKEN, "internal.port", "0",
                "sync.sweeper.enabled", "false", "feed.settle", "0s"));
        HttpResponse<String> yaml = live.send("GET", root() + "/openapi.yaml");
        assertThat(yaml.statusCode()).isEqualTo(200);
        openApi = new ObjectMapper(new YAMLFactory()).readTree(yaml.body());
    }

    @AfterAll
    static void stop() {
        live.close();
    }

    private static String root() {
        URI base = URI.create(live.baseUrl());
        return base.getScheme() + "://" + base.getAuthority();
    }

    private static Map<String, String> query(String mid, String orderNo) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", mid);
        p.put("orderNo", orderNo);
        p.put("noise", "contract123");
        return p;
    }

    private static String pointer(String... steps) {
        StringBuilder sb = new StringBuilder("#");
        for (String step : steps) {
            sb.append('/').append(step.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }

    /** The schema at {@code ref} inside the OpenAPI document, its other $refs resolving in the document. */
    private static Schema schema(String ref) {
        ObjectNode root = openApi.deepCopy();
        root.put("$ref", ref);
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root);
    }

    /** Validates {@code res}, the answer of {@code path}, against what the file says that path answers with that status. */
    private static JsonNode assertConforms(String path, HttpResponse<String> res) throws Exception {
        String status = String.valueOf(res.statusCode());
        JsonNode responses = openApi.path("paths").path(path).path("post").path("responses");
        assertThat(responses.has(status)).as("openapi.yaml: %s answers %s", path, status).isTrue();
        JsonNode response = responses.get(status);
        String ref = response.has("$ref") ? response.get("$ref").asText() + "/content/application~1json/schema"
                : pointer("paths", path, "post", "responses", status, "content", "application/json", "schema");
        JsonNode body = JSON.readTree(res.body());
        List<Error> errors = schema(ref).validate(body);
        assertThat(errors).as("%s %s: %s", path, status, res.body()).isEmpty();
        return body;
    }

    @Test
    void theFileNamesEveryEndpointAndEveryErrCode() {
        Set<String> paths = new TreeSet<>();
        openApi.path("paths").fieldNames().forEachRemaining(paths::add);
        Set<String> served = new TreeSet<>();
        for (Endpoint e : Endpoint.values()) {
            served.add(e.path());
        }
        served.add(QueryEndpoints.DIAGNOSE);
        assertThat(paths).isEqualTo(served);
        Set<String> codes = new TreeSet<>();
        openApi.at("/components/schemas/ErrCode/enum").forEach(n -> codes.add(n.asText()));
        Set<String> known = new TreeSet<>();
        for (ErrorCode c : ErrorCode.values()) {
            known.add(c.name());
        }
        assertThat(codes).isEqualTo(known);
    }

    @Test
    void theSchemasRefuseWhatTheContractDoesNot() throws Exception {
        assertThat(schema("#/components/schemas/Failure").validate(JSON.readTree("{\"code\":\"FAIL\",\"msg\":\"x\"}"))).isNotEmpty();
        assertThat(schema("#/components/schemas/Failure").validate(JSON.readTree(
                "{\"code\":\"FAIL\",\"msg\":\"x\",\"errCode\":\"NOPE\",\"errCodeDes\":\"x\"}"))).isNotEmpty();
        String single = live.postSigned("/query/single", query(MID, PAID), KEY).body();
        ObjectNode extra = (ObjectNode) JSON.readTree(single);
        extra.put("surprise", "1");
        assertThat(schema(pointer("paths", "/query/single", "post", "responses", "200", "content", "application/json", "schema"))
                .validate(extra)).isNotEmpty();
    }

    @Test
    void singleAnswersConform() throws Exception {
        assertConforms("/query/single", live.postSigned("/query/single", query(MID, PAID), KEY));
        assertConforms("/query/single", live.postSigned("/query/single", query(MID, INIT), KEY));
        Map<String, String> sha = query(MID, PAID);
        sha.put("signType", "hmac-sha256");
        assertThat(assertConforms("/query/single", live.postSigned("/query/single", sha, KEY)).get("signType").asText())
                .isEqualTo("hmac-sha256");
        JsonNode missing = assertConforms("/query/single", live.postSigned("/query/single", query(MID, "NOSUCHORDER1"), KEY));
        assertThat(missing.get("errCode").asText()).isEqualTo("ORDER_NOT_EXIST");
    }

    @Test
    void multiAnswersConformAndSoDoTheirOrders() throws Exception {
        JsonNode body = assertConforms("/query/multi",
                live.postSigned("/query/multi", query(MID, PAID + "," + INIT + ",NOSUCHORDER1," + CARD_PAID), KEY));
        JsonNode orders = JSON.readTree(body.get("orders").asText());
        assertThat(orders).hasSize(4);
        List<Error> errors = schema("#/components/schemas/MultiAnswer/properties/orders/contentSchema").validate(orders);
        assertThat(errors).as(orders.toString()).isEmpty();
    }

    @Test
    void brushcardAnswersConform() throws Exception {
        assertConforms("/query/brushcard", live.postSigned("/query/brushcard", query(MID, CARD_PAID), KEY));
        assertConforms("/query/brushcard", live.postSigned("/query/brushcard", query(MID, "B201611101030000002"), KEY));
        assertConforms("/query/brushcard", live.postSigned("/query/brushcard", query(MID, "B201611101030000003"), KEY));
        assertThat(assertConforms("/query/brushcard", live.postSigned("/query/brushcard", query(MID, PAID), KEY))
                .get("errCode").asText()).isEqualTo("ORDER_NOT_EXIST");
    }

    @Test
    void answersOfOrdersConfirmedByAChannelConform() throws Exception {
        // the second demo merchant syncs with the sandbox: its pending order gets a confirmTime
        HttpResponse<String> set = live.http.send(java.net.http.HttpRequest.newBuilder(
                        URI.create(live.server.internalBaseUrl() + "/internal/v1/merchants/" + MID2 + "/channels/sandbox"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        JsonNode single = assertConforms("/query/single", live.postSigned("/query/single", query(MID2, "X201611101050000001"), KEY2));
        assertThat(single.has("confirmTime")).as(single.toString()).isTrue();
        JsonNode multi = assertConforms("/query/multi", live.postSigned("/query/multi", query(MID2, "X201611101050000001"), KEY2));
        JsonNode orders = JSON.readTree(multi.get("orders").asText());
        assertThat(orders.get(0).has("confirmTime")).as(orders.toString()).isTrue();
        assertThat(schema("#/components/schemas/MultiAnswer/properties/orders/contentSchema").validate(orders)).isEmpty();
    }

    @Test
    void eventPagesConformAndSoDoTheirEvents() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", MID);
        p.put("noise", "contract123");
        p.put("limit", "100");
        JsonNode page = assertConforms("/query/events", live.postSigned("/query/events", p, KEY));
        JsonNode events = JSON.readTree(page.get("events").asText());
        assertThat(events.size()).as(page.toString()).isPositive();
        assertThat(schema("#/components/schemas/EventsAnswer/properties/events/contentSchema").validate(events))
                .as(events.toString()).isEmpty();
        p.put("after", page.get("next").asText());
        JsonNode empty = assertConforms("/query/events", live.postSigned("/query/events", p, KEY));
        assertThat(empty.get("events").asText()).isEqualTo("[]");
        p.put("limit", "0");
        assertThat(assertConforms("/query/events", live.postSigned("/query/events", p, KEY)).get("errCode").asText())
                .isEqualTo("PARAM_ERROR");
    }

    @Test
    void protocolFailuresConform() throws Exception {
        List<String> errors = List.of("PARAM_ERROR", "SIGN_TYPE_UNSUPPORTED", "MERCHANT_NOT_EXIST", "MERCHANT_DISABLED", "SIGN_ERROR");
        for (Endpoint endpoint : Endpoint.values()) {
            for (String errCode : errors) {
                HttpResponse<String> res = live.post(endpoint.path(), "application/x-www-form-urlencoded",
                        endpoint == Endpoint.EVENTS && errCode.equals("PARAM_ERROR")
                                ? "mid=" + MID + "&after=12&noise=n1&sign=00" : requestFor(errCode));
                assertThat(assertConforms(endpoint.path(), res).get("errCode").asText()).isEqualTo(errCode);
            }
        }
    }

    /** The refusals of replay protection, from the second demo merchant with it on for the test. */
    @Test
    void replayFailuresConform() throws Exception {
        assertThat(replay("PUT", "{\"window\":\"5m\"}").statusCode()).isEqualTo(200);
        try {
            for (Endpoint endpoint : Endpoint.values()) {
                Map<String, String> p = endpoint == Endpoint.EVENTS ? new LinkedHashMap<>(Map.of("mid", MID2, "noise", "n1"))
                        : query(MID2, PAID);
                assertThat(assertConforms(endpoint.path(), live.postSigned(endpoint.path(), p, KEY2)).get("errCode").asText())
                        .isEqualTo("TIMESTAMP_EXPIRED");
                p.put("noise", "contract-" + endpoint.name());
                p.put("timestamp", io.leopard.protocol.RequestTime.format(java.time.Instant.now(), java.time.ZoneId.of("Asia/Shanghai")));
                assertThat(assertConforms(endpoint.path(), live.postSigned(endpoint.path(), p, KEY2)).get("code").asText())
                        .isEqualTo("SUCCESS");
                assertThat(assertConforms(endpoint.path(), live.postSigned(endpoint.path(), p, KEY2)).get("errCode").asText())
                        .isEqualTo("NOISE_REUSED");
            }
        } finally {
            assertThat(replay("DELETE", null).statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> replay(String method, String body) throws Exception {
        return live.http.send(java.net.http.HttpRequest.newBuilder(
                        URI.create(live.server.internalBaseUrl() + "/internal/v1/merchants/" + MID2 + "/replay"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The form body that gets {@code errCode} from any query endpoint. */
    private static String requestFor(String errCode) {
        return switch (errCode) {
            case "PARAM_ERROR" -> "mid=" + MID + "&orderNo=bad%20order&noise=n1&sign=00";
            case "SIGN_TYPE_UNSUPPORTED" -> "mid=" + MID + "&orderNo=" + PAID + "&noise=n1&signType=SHA512&sign=00";
            case "MERCHANT_NOT_EXIST" -> "mid=999999999999999&orderNo=" + PAID + "&noise=n1&sign=00";
            case "MERCHANT_DISABLED" -> "mid=" + MID_DISABLED + "&orderNo=" + PAID + "&noise=n1&sign=00";
            default -> "mid=" + MID + "&orderNo=" + PAID + "&noise=n1&sign=0123456789ABCDEF0123456789ABCDEF";
        };
    }

    @Test
    void diagnosesConform() throws Exception {
        String path = QueryEndpoints.DIAGNOSE;
        Map<String, String> p = query(MID, PAID);
        p.put("attach", "");
        p.put("sign", "0123456789ABCDEF0123456789ABCDEF");
        JsonNode wrong = assertConforms(path, live.post(path, "application/x-www-form-urlencoded", LiveLeopard.form(p)));
        assertThat(wrong.get("recipe").asText()).isEqualTo("UNKNOWN");
        Map<String, String> right = query(MID, PAID);
        right.put("signType", "SHA256");
        right.put("sign", IndependentVerifier.sign(right, KEY, "SHA256"));
        assertThat(assertConforms(path, live.post(path, "application/x-www-form-urlencoded", LiveLeopard.form(right)))
                .get("verified").asText()).isEqualTo("true");
        // a diagnosis checks the generic rules, mid, sign and signType, not the order number
        assertThat(assertConforms(path, live.post(path, "application/x-www-form-urlencoded", "mid=12345&sign=00"))
                .get("errCode").asText()).isEqualTo("PARAM_ERROR");
        for (String errCode : List.of("SIGN_TYPE_UNSUPPORTED", "MERCHANT_NOT_EXIST", "MERCHANT_DISABLED")) {
            assertThat(assertConforms(path, live.post(path, "application/x-www-form-urlencoded", requestFor(errCode)))
                    .get("errCode").asText()).isEqualTo(errCode);
        }
        assertThat(assertConforms(path, live.send("GET", live.baseUrl() + path)).get("errCode").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(assertConforms(path, live.post(path, "text/plain", "mid=1")).get("errCode").asText()).isEqualTo("MEDIA_TYPE_UNSUPPORTED");
    }

    /** The failures of a merchant's allow-list and of the rates, from a server of their own (SYSTEM_ERROR: DatabaseOutageE2ETest). */
    @Test
    void allowListAndRateFailuresConform() throws Exception {
        LeopardConfig config = LiveLeopard.seeded(Map.of("rate.address-per-second", "1",
                "rate.address-burst", "1", "rate.per-second", "1", "rate.burst", "1"));
        try (Database database = Database.open(config.settings().database())) {
            Merchants.store(config.settings().keys(), database)
                    .setAllowList(MID2,
                            CidrRange.parseList("203.0.113.0/24"));
        }
        try (LiveLeopard limited = LiveLeopard.over(LeopardServer.start(config.settings()))) {
            HttpResponse<String> forbidden = limited.postSigned("/query/single",
                    query(MID2, PAID), KEY2);
            assertThat(assertConforms("/query/single", forbidden).get("errCode").asText()).isEqualTo("IP_FORBIDDEN");
            // that failure used the address's only one: the next failing request, a diagnosis here, is limited
            HttpResponse<String> addressLimited = limited.post(QueryEndpoints.DIAGNOSE, "application/x-www-form-urlencoded",
                    "mid=999999999999999&sign=00");
            assertThat(assertConforms(QueryEndpoints.DIAGNOSE, addressLimited).get("errCode").asText()).isEqualTo("FREQUENCY_LIMITED");
            // a signed request is served whatever its address did, within its merchant's rate (burst 1)
            String seen = "";
            for (int i = 0; i < 5 && !seen.contains("FREQUENCY_LIMITED"); i++) {
                seen += assertConforms("/query/single", limited.postSigned("/query/single", query(MID, PAID), KEY)).toString();
            }
            assertThat(seen).contains("FREQUENCY_LIMITED");
        }
    }

    @Test
    void httpLevelFailuresConform() throws Exception {
        for (Endpoint endpoint : Endpoint.values()) {
            String path = endpoint.path();
            HttpResponse<String> get = live.send("GET", live.baseUrl() + path);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
            assertThat(assertConforms(path, get).get("errCode").asText()).isEqualTo("METHOD_NOT_ALLOWED");
            byte[] large = ("mid=" + "1".repeat(20_000)).getBytes(StandardCharsets.US_ASCII);
            assertThat(assertConforms(path, live.post(path, "application/x-www-form-urlencoded", large))
                    .get("errCode").asText()).isEqualTo("BODY_TOO_LARGE");
            assertThat(assertConforms(path, live.post(path, "text/plain", "mid=1")).get("errCode").asText())
                    .isEqualTo("MEDIA_TYPE_UNSUPPORTED");
        }
        HttpResponse<String> notFound = live.post("/query/nothing", "application/x-www-form-urlencoded", "a=b");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(schema("#/components/responses/NotFound/content/application~1json/schema")
                .validate(JSON.readTree(notFound.body()))).isEmpty();
        String badRequest = rawExchange("POST /query/single HTTP/1.1\r\nHost: x\r\nContent-Length: nine\r\n\r\n");
        assertThat(badRequest).startsWith("HTTP/1.1 400");
        String body = badRequest.substring(badRequest.indexOf("\r\n\r\n") + 4);
        assertThat(schema("#/components/responses/BadRequest/content/application~1json/schema")
                .validate(JSON.readTree(body))).as(body).isEmpty();
    }

    /** Sends {@code request} as raw bytes and reads the answer until the server closes. */
    private static String rawExchange(String request) throws Exception {
        URI base = URI.create(live.baseUrl());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyResponseTheFileListsHasASchema() {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : openApi.path("paths").properties()) {
            path.getValue().path("post").path("responses").properties().forEach(r -> {
                JsonNode response = r.getValue().has("$ref")
                        ? openApi.at(r.getValue().get("$ref").asText().substring(1)) : r.getValue();
                if (response.at("/content/application~1json/schema").isMissingNode()) {
                    missing.add(path.getKey() + " " + r.getKey());
                }
            });
        }
        assertThat(missing).isEmpty();
    }
}
