package io.leopard.bench;

import io.leopard.protocol.Fields;
import io.leopard.protocol.OrderState;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.order.Order;
import io.leopard.server.order.Scene;
import io.leopard.server.query.JsonWriter;
import io.leopard.server.query.OrderFields;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building, signing (MD5) and writing the answers of T1 and T2 from their orders, the old way
 * ({@link LegacyAnswer}: names sorted per call, a Jackson generator per answer) and the server's
 * way, side by side in one JVM: {@code bench/jmh.sh AnswerBench}. The field map is built the same
 * way in both (as {@code QueryService} builds it), so the difference is signing and writing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class AnswerBench {
    private static final String KEY = DemoFixture.KEY;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String NOISE = "6W5H246VQ2JZ8K1M0P3R5T7V9X1Z3B5D";

    OrderFields orderFields;
    Order paid;
    List<Order> batch;

    @Setup
    public void setUp() {
        orderFields = new OrderFields(ZONE);
        paid = order("M201611101010100002");
        batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(order(String.format("BO%010d", i + 1)));
        }
        check();
    }

    private static Order order(String orderNo) {
        return new Order(DemoFixture.MID, orderNo, "20161101010100198763", "1217752501201407033233368018",
                new BigDecimal("5230.00"), "wechat", Scene.QRCODE, OrderState.SUCCESS,
                Instant.parse("2016-11-10T02:10:10Z"), Instant.parse("2016-11-10T02:13:23Z"));
    }

    /** The two ways agree, or the figures mean nothing. */
    private void check() {
        if (!Arrays.equals(singleOld(), singleNew()) || !Arrays.equals(multiOld(), multiNew())) {
            throw new IllegalStateException("the old and the new answers differ");
        }
    }

    /** T1's answer: a paid order, 16 signed fields. */
    @Benchmark
    public byte[] singleOld() {
        Map<String, String> fields = single();
        fields.put(Fields.SIGN, LegacyAnswer.signMd5(fields, KEY));
        return LegacyAnswer.object(fields);
    }

    @Benchmark
    public byte[] singleNew() {
        Map<String, String> fields = single();
        fields.put(Fields.SIGN, Signer.sign(fields, KEY, SignType.MD5));
        return JsonWriter.object(fields);
    }

    /** T2's answer: 50 paid orders in {@code orders}. */
    @Benchmark
    public byte[] multiOld() {
        Map<String, String> fields = header();
        fields.put(Fields.ORDERS, LegacyAnswer.array(elements()));
        fields.put(Fields.REQ_NOISE, "0b4dU7yq3JkX9wPz");
        fields.put(Fields.SIGN, LegacyAnswer.signMd5(fields, KEY));
        return LegacyAnswer.object(fields);
    }

    @Benchmark
    public byte[] multiNew() {
        Map<String, String> fields = header();
        fields.put(Fields.ORDERS, JsonWriter.array(elements()));
        fields.put(Fields.REQ_NOISE, "0b4dU7yq3JkX9wPz");
        fields.put(Fields.SIGN, Signer.sign(fields, KEY, SignType.MD5));
        return JsonWriter.object(fields);
    }

    /** T1's answer map, signed: what {@link AnswerCpu} signs and writes alone. */
    Map<String, String> singleFields() {
        Map<String, String> fields = single();
        fields.put(Fields.SIGN, Signer.sign(fields, KEY, SignType.MD5));
        return fields;
    }

    private Map<String, String> single() {
        Map<String, String> fields = header();
        orderFields.putQueryFields(paid, fields);
        fields.put(Fields.REQ_NOISE, "0b4dU7yq3JkX9wPz");
        return fields;
    }

    private List<Map<String, String>> elements() {
        List<Map<String, String>> elements = new ArrayList<>(batch.size());
        for (Order order : batch) {
            Map<String, String> element = new LinkedHashMap<>();
            orderFields.putQueryFields(order, element);
            elements.add(element);
        }
        return elements;
    }

    private static Map<String, String> header() {
        Map<String, String> fields = new LinkedHashMap<>(32);
        fields.put(Fields.CODE, Fields.SUCCESS);
        fields.put(Fields.MSG, Fields.OK_MSG);
        fields.put(Fields.RESULT_CODE, Fields.SUCCESS);
        fields.put(Fields.MID, DemoFixture.MID);
        fields.put(Fields.NOISE, NOISE);
        return fields;
    }
}
