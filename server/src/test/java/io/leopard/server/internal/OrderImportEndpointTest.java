package io.leopard.server.internal;

import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.server.internal.RoutedInternal.Reply;
import io.leopard.server.order.OrderStore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /orders:import} in memory: the CLI's import and report over HTTP, all or nothing. */
class OrderImportEndpointTest {
    private static final String HEADER = "mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime\n";
    private static final String AUTH = "Bearer " + RoutedInternal.TOKEN;
    private static RoutedInternal routed;

    @BeforeAll
    static void start() {
        routed = new RoutedInternal();
    }

    @AfterAll
    static void stop() {
        routed.close();
    }

    private static Reply post(String query, String contentType, String body) {
        return routed.call("POST", "/orders:import" + query, contentType, body.getBytes(StandardCharsets.UTF_8), AUTH);
    }

    private static String row(String orderNo, String state) {
        return MID + "," + orderNo + ",F" + orderNo + ",T" + orderNo + ",5230.00,wechat,qrcode," + state
                + ",20161110101010," + (state.equals("INIT") ? "" : "20161110101323") + "\n";
    }

    private boolean stored(String orderNo) {
        return new OrderStore(routed.database).find(MID, orderNo).isPresent();
    }

    @Test
    void aCsvFileIsImportedAndReportedAsTheCliReportsIt() throws Exception {
        Reply a = post("?format=csv", "application/octet-stream", HEADER + row("IMP1", "SUCCESS") + row("IMP2", "INIT"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode r = MerchantAdminEndpointsTest.json(a);
        assertThat(r.get("rowsRead").asLong()).isEqualTo(2);
        assertThat(r.get("inserted").asLong()).isEqualTo(2);
        assertThat(r.get("summary").asText()).isEqualTo("2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 backwards moves skipped");
        assertThat(stored("IMP1")).isTrue();

        Reply back = post("", "text/csv; charset=UTF-8", HEADER + row("IMP1", "INIT"));
        JsonNode b = MerchantAdminEndpointsTest.json(back);
        assertThat(b.get("backwardsSkipped").asLong()).isEqualTo(1);
        assertThat(b.get("backwardsLines").get(0).asText()).startsWith("line 2: IMP1 SUCCESS \u2192 INIT skipped");
        assertThat(b.get("backwards").get(0).get("from").asText()).isEqualTo("SUCCESS");

        Reply strict = post("?strict=true", "text/csv", HEADER + row("IMP1", "INIT"));
        assertThat(strict.status()).isEqualTo(400);
        assertThat(MerchantAdminEndpointsTest.json(strict).get("message").asText())
                .startsWith("line 2: IMP1 SUCCESS \u2192 INIT is a backwards move, refused by --strict");
    }

    @Test
    void jsonLinesByContentType() throws Exception {
        String line = "{\"mid\":\"" + MID + "\",\"orderNo\":\"IMPJ1\",\"flowNo\":\"FJ1\",\"tradeNo\":\"\",\"amount\":\"1.00\","
                + "\"type\":\"alipay\",\"scene\":\"qrcode\",\"state\":\"INIT\",\"orderTime\":\"20161110101010\",\"payTime\":\"\"}\n";
        Reply a = post("", "application/x-ndjson", line);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(stored("IMPJ1")).isTrue();
        assertThat(post("?format=jsonl", "text/plain", line).body()).contains("\"unchanged\":1");
    }

    @Test
    void aBadRowIs400WithItsLineAndWritesNothing() throws Exception {
        StringBuilder body = new StringBuilder(HEADER);
        for (int i = 0; i < 2500; i++) {
            body.append(row("BAD" + i, "SUCCESS"));
        }
        body.append(row("BADLAST", "SUCCESS").replace("5230.00", "88.888"));
        Reply a = post("?format=csv", null, body.toString());
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        JsonNode e = MerchantAdminEndpointsTest.json(a);
        assertThat(e.get("error").asText()).isEqualTo("bad_file");
        assertThat(e.get("line").asLong()).isEqualTo(2502);
        assertThat(e.get("message").asText()).isEqualTo("line 2502: amount must be yuan with at most two decimals, e.g. 5230.00; got \"88.888\"");
        assertThat(stored("BAD0")).as("all or nothing").isFalse();

        Reply unknown = post("?format=csv", null, HEADER + row("BADM", "INIT").replace(MID, "999999999999999"));
        assertThat(MerchantAdminEndpointsTest.json(unknown).get("message").asText()).isEqualTo("line 2: no merchant 999999999999999");
        assertThat(post("?format=csv", null, HEADER).body()).contains("the file has a header but no rows");
        assertThat(post("?format=csv", null, "").body()).contains("the file is empty");
    }

    @Test
    void theFormatAndTheParametersAreChecked() throws Exception {
        Reply none = post("", "application/json", HEADER + row("IMPF", "INIT"));
        assertThat(none.status()).isEqualTo(415);
        assertThat(post("?format=xml", null, HEADER).body()).contains("\"field\":\"format\"");
        assertThat(post("?format=csv&strict=yes", null, HEADER).body()).contains("\"field\":\"strict\"");
        assertThat(post("?format=csv&dryRun=true", null, HEADER).body()).contains("\"error\":\"unknown_parameter\"");
        assertThat(stored("IMPF")).isFalse();
        assertThat(routed.call("POST", "/orders:import?format=csv", "text/csv",
                (HEADER + row("IMPF", "INIT")).getBytes(StandardCharsets.UTF_8), null).status()).isEqualTo(401);
        assertThat(stored("IMPF")).isFalse();
    }
}
