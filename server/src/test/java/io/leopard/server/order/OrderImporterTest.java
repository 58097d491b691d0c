package io.leopard.server.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.OrderState;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Format and row checks run on H2; what depends on the database runs on every vendor. */
class OrderImporterTest {
    static final String HEADER = "mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime";
    static final String ROW = TestOrders.MID + ",M1,F1,T1,5230.00,wechat,qrcode,SUCCESS,20161110101010,20161110101323";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TempDir
    Path dir;
    TestDatabase h2;
    OrderStore store;
    OrderImporter importer;

    @BeforeEach
    void setUp() {
        h2 = TestDatabases.create(DatabaseVendor.H2);
        store = new OrderStore(h2.database());
        TestOrders.addMerchants(h2.database(), TestOrders.MID, TestOrders.OTHER_MID);
        importer = new OrderImporter(store, ZONE);
    }

    @AfterEach
    void tearDown() {
        h2.close();
    }

    private Path file(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private void assertFails(String name, String content, String message) throws IOException {
        Path f = file(name, content);
        assertThatThrownBy(() -> importer.importFile(f)).isInstanceOf(ImportException.class).hasMessage(message);
        assertThat(store.find(TestOrders.MID, "M1")).as("nothing written").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void importsTheDemoFixtureOnceAndIdempotently(DatabaseVendor vendor) throws Exception {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            OrderStore s = new OrderStore(t.database());
            TestOrders.addMerchants(t.database(), TestOrders.MID, TestOrders.OTHER_MID);
            OrderImporter imp = new OrderImporter(s, ZONE);
            Path fixture = Path.of(DemoFixture.class.getResource(DemoFixture.ORDERS_RESOURCE).toURI());
            assertThat(imp.importFile(fixture)).isEqualTo(new ImportResult(10, 10, 0, 0));
            assertThat(imp.importFile(fixture)).isEqualTo(new ImportResult(10, 0, 0, 10));
            Order o = s.find(TestOrders.MID, "M201611101010100002").orElseThrow();
            assertThat(o).isEqualTo(new Order(TestOrders.MID, "M201611101010100002", "20161101010100198763",
                    "1217752501201407033233368018", new BigDecimal("5230.00"), "wechat", Scene.QRCODE, OrderState.SUCCESS,
                    Instant.parse("2016-11-10T02:10:10Z"), Instant.parse("2016-11-10T02:13:23Z")));
            assertThat(s.find(TestOrders.OTHER_MID, "M201611101010100002").orElseThrow().type()).isEqualTo("jd");
            assertThat(s.find(TestOrders.MID, "M201611101010100011").orElseThrow().tradeNo()).isNull();
            assertThat(s.find(TestOrders.MID, "B201611101030000003").orElseThrow().state()).isEqualTo(OrderState.REVOKED);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aBadRowLateInABigFileWritesNothing(DatabaseVendor vendor) throws Exception {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            OrderStore s = new OrderStore(t.database());
            TestOrders.addMerchants(t.database(), TestOrders.MID);
            StringBuilder sb = new StringBuilder(HEADER).append('\n');
            for (int i = 0; i < 2500; i++) {
                sb.append(TestOrders.MID + ",N").append(i).append(",F").append(i)
                        .append(",,1.00,alipay,qrcode,INIT,20161110101010,\n");
            }
            // line 2503: a move that the state machine forbids, found only when the third batch is written
            sb.append(TestOrders.MID + ",N5,F5,,1.00,alipay,qrcode,INIT,20161110101010,\n");
            sb.append(TestOrders.MID + ",N5,F5,,1.00,alipay,qrcode,FAILED,20161110101010,20161110101011\n");
            sb.append(TestOrders.MID + ",N5,F5,,1.00,alipay,qrcode,SUCCESS,20161110101010,20161110101011\n");
            Path f = dir.resolve("big.csv");
            Files.writeString(f, sb);
            assertThatThrownBy(() -> new OrderImporter(s, ZONE).importFile(f))
                    .isInstanceOf(ImportException.class).hasMessage("line 2504: order N5 cannot move from FAILED to SUCCESS");
            assertThat(s.find(TestOrders.MID, "N0")).isEmpty();
            assertThat(s.findAll(TestOrders.MID, List.of("N1", "N2000", "N2499"))).isEmpty();
        }
    }

    @Test
    void rowsApplyInFileOrderAndASecondImportChangesNothing() throws Exception {
        Path f = file("moves.csv", HEADER + "\n"
                + TestOrders.MID + ",B1,F1,,50.00,wechat,brushcard,INIT,20161110103000,\n"
                + TestOrders.MID + ",B1,F1,T1,50.00,wechat,brushcard,SUCCESS,20161110103000,20161110103004\n"
                + TestOrders.MID + ",B1,F1,,50.00,wechat,brushcard,REVOKED,20161110103000,\n");
        assertThat(importer.importFile(f)).isEqualTo(new ImportResult(3, 1, 2, 0));
        Order o = store.find(TestOrders.MID, "B1").orElseThrow();
        assertThat(o.state()).isEqualTo(OrderState.REVOKED);
        assertThat(o.tradeNo()).as("kept when a later row leaves it empty").isEqualTo("T1");
        assertThat(o.payTime()).as("kept: a payTime is set once").isEqualTo(Instant.parse("2016-11-10T02:30:04Z"));
        assertThat(importer.importFile(f)).isEqualTo(new ImportResult(3, 0, 0, 3));
        assertThat(importer.importFile(f, true)).as("replayed history is no backwards move, even strict")
                .isEqualTo(new ImportResult(3, 0, 0, 3));
        assertThat(store.find(TestOrders.MID, "B1")).contains(o);
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void ordersOfAMerchantThatDoesNotExistAreABadRow(DatabaseVendor vendor) throws Exception {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            OrderStore s = new OrderStore(t.database());
            TestOrders.addMerchants(t.database(), TestOrders.MID);
            Path f = file("a.csv", HEADER + "\n" + ROW + "\n" + ROW.replace(TestOrders.MID + ",M1,F1", "100000510983999,M2,F2") + "\n");
            assertThatThrownBy(() -> new OrderImporter(s, ZONE).importFile(f))
                    .isInstanceOf(ImportException.class).hasMessage("line 3: no merchant 100000510983999");
            assertThat(s.find(TestOrders.MID, "M1")).as("nothing written").isEmpty();
        }
    }

    @Test
    void aDisabledMerchantStillHasItsOrdersImported() throws Exception {
        new io.leopard.server.merchant.MerchantStore(h2.database(),
                new io.leopard.server.merchant.KeyCipher(io.leopard.server.merchant.MasterKey.random()))
                .setEnabled(TestOrders.MID, false);
        assertThat(importer.importFile(file("a.csv", HEADER + "\n" + ROW + "\n"))).isEqualTo(new ImportResult(1, 1, 0, 0));
    }

    /** Stored: M1 and M2 paid. The file: a new order, M1 as stored, and M2 back at INIT. */
    private Path backwardsFile() throws IOException {
        importer.importFile(file("paid.csv", HEADER + "\n" + ROW + "\n" + ROW.replace("M1,F1,T1", "M2,F2,T2") + "\n"));
        return file("again.csv", HEADER + "\n"
                + TestOrders.MID + ",M3,F3,,1.00,alipay,qrcode,INIT,20161110101010,\n"
                + ROW + "\n"
                + TestOrders.MID + ",M2,F2,,5230.00,wechat,qrcode,INIT,20161110101010,\n");
    }

    @Test
    void aBackwardsMoveIsSkippedAndReportedWithItsLine() throws Exception {
        ImportResult r = importer.importFile(backwardsFile());
        assertThat(r).isEqualTo(new ImportResult(3, 1, 0, 1, 1,
                List.of(new BackwardsMove(4, TestOrders.MID, "M2", OrderState.SUCCESS, OrderState.INIT))));
        assertThat(r).hasToString("3 rows read, 1 inserted, 0 updated, 1 unchanged, 1 backwards move skipped");
        assertThat(r.backwardsLines()).containsExactly(
                "line 4: M2 SUCCESS \u2192 INIT skipped (state machine: an order never returns to INIT)");
        assertThat(store.find(TestOrders.MID, "M2").orElseThrow().state()).isEqualTo(OrderState.SUCCESS);
        assertThat(store.find(TestOrders.MID, "M3")).isPresent();
    }

    @Test
    void strictRefusesABackwardsMoveAndWritesNothing() throws Exception {
        Path f = backwardsFile();
        assertThatThrownBy(() -> importer.importFile(f, true)).isInstanceOf(ImportException.class)
                .hasMessage("line 4: M2 SUCCESS \u2192 INIT is a backwards move, refused by --strict"
                        + " (state machine: an order never returns to INIT)");
        assertThat(store.find(TestOrders.MID, "M3")).as("nothing written").isEmpty();
    }

    @Test
    void everyKindOfBackwardsMoveIsNamedByItsRule() throws Exception {
        String card = TestOrders.MID + ",B1,G1,T9,50.00,wechat,brushcard,";
        String closed = TestOrders.MID + ",C1,G2,T8,50.00,wechat,qrcode,";
        importer.importFile(file("now.csv", HEADER + "\n" + card + "REVOKED,20161110103000,20161110103004\n"
                + closed + "CLOSED,20161110103000,20161110103004\n"));
        ImportResult r = importer.importFile(file("old.csv", HEADER + "\n" + card + "SUCCESS,20161110103000,20161110103004\n"
                + closed + "FAILED,20161110103000,20161110103004\n"
                // within the file itself: paid, then said to be pending
                + TestOrders.MID + ",N1,G3,T7,1.00,jd,h5,SUCCESS,20161110103000,20161110103004\n"
                + TestOrders.MID + ",N1,G3,,1.00,jd,h5,INIT,20161110103000,\n"));
        assertThat(r.backwardsLines()).containsExactly(
                "line 2: B1 REVOKED \u2192 SUCCESS skipped (state machine: nothing leaves REVOKED)",
                "line 3: C1 CLOSED \u2192 FAILED skipped (state machine: nothing leaves CLOSED)",
                "line 5: N1 SUCCESS \u2192 INIT skipped (state machine: an order never returns to INIT)");
        assertThat(r).isEqualTo(new ImportResult(4, 1, 0, 0, 3, r.backwardsShown()));
    }

    /** A skipped row is history when a later row of its order follows, even in a later write batch. */
    @Test
    void aLaterRowOfTheOrderSettlesASkippedRowAcrossBatches() throws Exception {
        String card = TestOrders.MID + ",B1,G1,T9,50.00,wechat,brushcard,";
        importer.importFile(file("now.csv", HEADER + "\n" + card + "REVOKED,20161110103000,20161110103004\n"));
        StringBuilder sb = new StringBuilder(HEADER).append('\n').append(card).append("INIT,20161110103000,\n");
        for (int i = 0; i < OrderImporter.BATCH + 10; i++) {
            sb.append(TestOrders.MID + ",N").append(i).append(",H").append(i).append(",,1.00,alipay,qrcode,INIT,20161110101010,\n");
        }
        sb.append(card).append("REVOKED,20161110103000,20161110103004\n");
        assertThat(importer.importFile(file("replay.csv", sb.toString()), true))
                .isEqualTo(new ImportResult(OrderImporter.BATCH + 12, OrderImporter.BATCH + 10, 0, 2));
    }

    @Test
    void theReportListsTheFirstBackwardsMovesAndCountsTheRest() throws Exception {
        StringBuilder paid = new StringBuilder(HEADER).append('\n');
        StringBuilder back = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 25; i++) {
            paid.append(TestOrders.MID + ",P").append(i).append(",Q").append(i).append(",,1.00,jd,h5,SUCCESS,20161110103000,20161110103004\n");
            back.append(TestOrders.MID + ",P").append(i).append(",Q").append(i).append(",,1.00,jd,h5,INIT,20161110103000,\n");
        }
        importer.importFile(file("paid.csv", paid.toString()));
        ImportResult r = importer.importFile(file("back.csv", back.toString()));
        assertThat(r).hasToString("25 rows read, 0 inserted, 0 updated, 0 unchanged, 25 backwards moves skipped");
        assertThat(r.backwardsShown()).hasSize(ImportResult.SHOWN);
        assertThat(r.backwardsLines()).hasSize(ImportResult.SHOWN + 1)
                .startsWith("line 2: P0 SUCCESS \u2192 INIT skipped (state machine: an order never returns to INIT)")
                .endsWith("\u2026 and 5 more");
        assertThatThrownBy(() -> importer.importFile(file("back.csv", back.toString()), true))
                .hasMessageStartingWith("line 2: P0 SUCCESS").hasMessageEndingWith("; 24 more after it");
    }

    @Test
    void jsonLinesAreReadByExtensionOrByTheirFirstCharacter() throws Exception {
        String json = "{\"mid\":\"" + TestOrders.MID + "\",\"orderNo\":\"M1\",\"flowNo\":\"F1\",\"amount\":5230.00,"
                + "\"type\":\"wechat\",\"scene\":\"qrcode\",\"state\":\"SUCCESS\",\"orderTime\":\"20161110101010\","
                + "\"payTime\":\"20161110101323\",\"tradeNo\":null}\n\n"
                + "{\"mid\":" + TestOrders.OTHER_MID + ",\"orderNo\":\"M1\",\"flowNo\":\"F2\",\"amount\":\"1\",\"type\":\"jd\","
                + "\"scene\":\"h5\",\"state\":\"INIT\",\"orderTime\":\"20161110101010\"}\r\n";
        assertThat(importer.importFile(file("a.jsonl", json))).isEqualTo(new ImportResult(2, 2, 0, 0));
        assertThat(importer.importFile(file("a.txt", "\n  " + json))).isEqualTo(new ImportResult(2, 0, 0, 2));
        assertThat(importer.importFile(file("a.ndjson", json)).unchanged()).isEqualTo(2);
        assertThat(store.find(TestOrders.MID, "M1").orElseThrow().amount()).isEqualTo(new BigDecimal("5230.00"));
        assertThat(store.find(TestOrders.OTHER_MID, "M1").orElseThrow().amount()).isEqualTo(new BigDecimal("1.00"));
    }

    @Test
    void csvColumnsMayComeInAnyOrderWithQuotesBomAndCrlf() throws Exception {
        String csv = "\uFEFFstate,mid,orderNo,flowNo,tradeNo,amount,type,scene,orderTime,payTime\r\n"
                + "SUCCESS,\"" + TestOrders.MID + "\",\"M1\",F1,,5230.00,wechat,qrcode,20161110101010,20161110101323\r\n\r\n";
        assertThat(importer.importFile(file("a.csv", csv))).isEqualTo(new ImportResult(1, 1, 0, 0));
    }

    @Test
    void headerProblemsNameTheColumn() throws Exception {
        assertFails("a.csv", HEADER + ",extra\n" + ROW + ",x\n",
                "line 1: unknown column \"extra\"; the columns are " + HEADER);
        assertFails("a.csv", HEADER.replace(",payTime", "") + "\n", "line 1: missing column payTime");
        assertFails("a.csv", HEADER + ",mid\n", "line 1: column mid appears twice");
        assertFails("a.csv", "", "the file is empty: expected a CSV header line naming the columns " + HEADER);
        assertFails("a.csv", HEADER + "\n", "the file has a header but no rows");
        assertFails("a.jsonl", "\n\n", "the file has no rows");
    }

    @Test
    void everyBadFieldIsReportedWithItsLine() throws Exception {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("10000051098345,", "mid must be 15 digits; got \"10000051098345\""),
                Map.entry(TestOrders.MID + ",M 1,", "orderNo must be 1-32 of letters, digits, _ - | *; got \"M 1\""),
                Map.entry(TestOrders.MID + ",M1,F-1,", "flowNo must be 1-32 letters and digits; got \"F-1\""),
                Map.entry(TestOrders.MID + ",M1,F1,T 1,", "tradeNo must be empty or 1-64 of letters, digits, _ -; got \"T 1\""),
                Map.entry(TestOrders.MID + ",M1,F1,T1,1.234,", "amount must be yuan with at most two decimals, e.g. 5230.00; got \"1.234\""),
                Map.entry(TestOrders.MID + ",M1,F1,T1,-1,", "amount must be yuan with at most two decimals, e.g. 5230.00; got \"-1\""),
                Map.entry(TestOrders.MID + ",M1,F1,T1,abc,", "amount must be yuan with at most two decimals, e.g. 5230.00; got \"abc\""),
                Map.entry(TestOrders.MID + ",M1,F1,T1,5230.00,WeChat,", "type must be one of wechat, alipay, QQwallet, netpay, quickpay, jd; got \"WeChat\""),
                Map.entry(TestOrders.MID + ",M1,F1,T1,5230.00,wechat,pos,", "scene must be one of qrcode, jspay, brushcard, app, h5, miniprogram; got \"pos\""),
                Map.entry(TestOrders.MID + ",M1,F1,T1,5230.00,wechat,qrcode,success,", "state must be one of INIT, SUCCESS, FAILED, CLOSED, REVOKED; got \"success\""),
                Map.entry(TestOrders.MID + ",M1,F1,T1,5230.00,wechat,qrcode,SUCCESS,20161130250000,", "orderTime must be a real time written yyyyMMddHHmmss; got \"20161130250000\""),
                Map.entry(TestOrders.MID + ",M1,F1,T1,5230.00,wechat,qrcode,SUCCESS,20161110101010,2016", "payTime must be a real time written yyyyMMddHHmmss; got \"2016\""),
                Map.entry(TestOrders.MID + ",M1,F1,,5230.00,wechat,qrcode,INIT,20161110101010,20161110101010", "payTime must be empty for an INIT order"),
                Map.entry(",M1,", "mid is empty"));
        String good = ROW.replace("M1,F1", "M0,F0");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String row = completeRow(c.getKey());
            assertFails("a.csv", HEADER + "\n" + good + "\n" + row + "\n", "line 3: " + c.getValue());
            assertThat(store.find(TestOrders.MID, "M0")).isEmpty();
        }
    }

    /** Fills a row's missing trailing fields from a good row. */
    private static String completeRow(String start) {
        String[] good = ROW.split(",", -1);
        String[] given = start.split(",", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < good.length; i++) {
            boolean fromGiven = i < given.length - 1 || (i == given.length - 1 && !start.endsWith(","));
            sb.append(i == 0 ? "" : ",").append(fromGiven ? given[i] : good[i]);
        }
        return sb.toString();
    }

    @Test
    void malformedFilesAreClearErrors() throws Exception {
        assertFails("a.csv", HEADER + "\n" + ROW + ",x\n", "line 2: 11 fields, but the header has 10");
        assertFails("a.csv", HEADER + "\n" + ROW.replace("M1", "\"M1") + "\n", "line 2: a quoted field is not closed");
        assertFails("a.csv", HEADER + "\n" + ROW.replace("M1", "M\"1") + "\n",
                "line 2: a quote inside an unquoted field (quote the whole field and double the quote)");
        assertFails("a.csv", HEADER + "\n" + ROW + "\n" + "x".repeat(70_000) + "\n", "line 3: record longer than 65536 characters");
        assertFails("a.jsonl", "\n" + "{".repeat(70_000) + "\n", "line 2: longer than 65536 characters");
        assertFails("a.jsonl", "{\"mid\": [1]}\n", "line 1: field mid must be a string");
        assertFails("a.jsonl", "{\"mid\": \"1\", \"mid\": \"2\"}\n", "line 1: not a JSON object: Duplicate field 'mid'");
        assertFails("a.jsonl", "{\"color\": \"red\"}\n", "line 1: unknown field \"color\"; the fields are " + HEADER);
        assertFails("a.jsonl", "[1,2]\n", "line 1: not a JSON object");
        assertThatThrownBy(() -> importer.importFile(file("b.jsonl", "{\"mid\": tru\n"))).isInstanceOf(ImportException.class)
                .hasMessageStartingWith("line 1: not a JSON object: ");

        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, (HEADER + "\n" + ROW + "\n" + ROW.replace("M1", "M\u00e91")).getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> importer.importFile(latin1)).hasMessage("line 3: not valid UTF-8 text");
        Path binary = dir.resolve("garbage.bin");
        byte[] noise = new byte[4096];
        new java.util.Random(42).nextBytes(noise);
        Files.write(binary, noise);
        assertThatThrownBy(() -> importer.importFile(binary)).isInstanceOf(ImportException.class).hasMessageStartingWith("line ");
        Path nul = dir.resolve("nul.csv");
        Files.write(nul, new byte[] {'m', 'i', 'd', 0, 0});
        assertThatThrownBy(() -> importer.importFile(nul)).hasMessage("line 1: a NUL byte: this is not a text file");
        assertThatThrownBy(() -> importer.importFile(dir.resolve("missing.csv"))).hasMessageStartingWith("no such file: ");
    }

    /**
     * A stream that never ends: the importer must fail at the bad row, which it can only do if it
     * reads as it goes instead of loading the file first.
     */
    @Test
    void importStreamsInsteadOfLoadingTheFile() {
        InputStream endless = new InputStream() {
            private byte[] current = (HEADER + "\n").getBytes(StandardCharsets.UTF_8);
            private int pos;
            private long row;

            @Override
            public int read() {
                if (pos == current.length) {
                    row++;
                    String line = row == 4000
                            ? TestOrders.MID + ",BAD,BAD,,1.00,alipay,qrcode,INIT,20161110101010,x\n"
                            : TestOrders.MID + ",N" + row + ",F" + row + ",,1.00,alipay,qrcode,INIT,20161110101010,\n";
                    current = line.getBytes(StandardCharsets.UTF_8);
                    pos = 0;
                }
                return current[pos++];
            }
        };
        assertThatThrownBy(() -> importer.importFrom(endless, OrderImporter.Format.CSV))
                .hasMessage("line 4001: payTime must be a real time written yyyyMMddHHmmss; got \"x\"");
        assertThat(store.find(TestOrders.MID, "N1")).isEmpty();
    }

    /** A generated file of a few hundred thousand rows goes through in one transaction. */
    @Test
    @Tag("slow") // 300 000 rows, ~15 s: left out of the mutation run, which would repeat it per mutant
    void aLargeFileImports() throws Exception {
        int rows = 300_000;
        Path f = dir.resolve("large.csv");
        try (var w = Files.newBufferedWriter(f)) {
            w.write(HEADER + "\n");
            for (int i = 0; i < rows; i++) {
                w.write(TestOrders.MID + ",L" + i + ",G" + i + ",,12.34,alipay,qrcode,INIT,20161110101010,\n");
            }
        }
        long start = System.nanoTime();
        assertThat(importer.importFile(f)).isEqualTo(new ImportResult(rows, rows, 0, 0));
        System.err.printf("imported %d rows into H2 in %d ms%n", rows, (System.nanoTime() - start) / 1_000_000);
        assertThat(store.find(TestOrders.MID, "L299999")).isPresent();
    }
}
