package io.leopard.bench;

import io.leopard.protocol.Endpoint;
import io.leopard.protocol.FormCodec;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.demo.DemoFixture;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
 * The protocol's per-request CPU work, alone, so that a regression of the signer or the form
 * codec shows up without the HTTP stack or a database around it. A typical request is the
 * three signed parameters of {@code /query/single}; a typical response is the 13 signed fields
 * of a paid order's answer. Short settings (see bench/jmh.sh): every benchmark is nanoseconds
 * to a few microseconds, so 1 fork x 2 s of measurement is stable to a few percent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
public class ProtocolBench {

    static final String KEY = DemoFixture.KEY;

    Map<String, String> request;
    Map<String, String> response;
    String requestMd5;
    String requestHmac;
    byte[] requestBody;

    @Setup
    public void setUp() {
        request = new LinkedHashMap<>();
        request.put("mid", DemoFixture.MID);
        request.put("orderNo", "M201611101010100002");
        request.put("noise", "0b4dU7yq3JkX9wPz");

        response = new LinkedHashMap<>();
        response.put("code", "SUCCESS");
        response.put("msg", "ok");
        response.put("resultCode", "SUCCESS");
        response.put("mid", DemoFixture.MID);
        response.put("noise", "6W5H246VQ2JZ8K1M0P3R5T7V9X1Z3B5D");
        response.put("orderNo", "M201611101010100002");
        response.put("flowNo", "20161101010100198763");
        response.put("tradeNo", "1217752501201407033233368018");
        response.put("amount", "5230.00");
        response.put("type", "wechat");
        response.put("status", "1");
        response.put("orderTime", "20161110101010");
        response.put("payTime", "20161110101323");

        requestMd5 = Signer.sign(request, KEY, SignType.MD5);
        requestHmac = Signer.sign(request, KEY, SignType.HMAC_SHA256);
        Map<String, String> signed = new LinkedHashMap<>(request);
        signed.put("sign", requestMd5);
        requestBody = FormCodec.encode(signed).getBytes(StandardCharsets.UTF_8);
    }

    /** stringA alone: filter, sort and join of the three request parameters. */
    @Benchmark
    public String requestStringA() {
        return Signer.stringA(request);
    }

    /** What a client does per request: stringA + key, MD5, uppercase hex. */
    @Benchmark
    public String requestSignMd5() {
        return Signer.sign(request, KEY, SignType.MD5);
    }

    /** The same with HMAC-SHA256 (a Mac is made and keyed per call). */
    @Benchmark
    public String requestSignHmacSha256() {
        return Signer.sign(request, KEY, SignType.HMAC_SHA256);
    }

    /** What the server does per request to check it: MD5 + constant-time compare. */
    @Benchmark
    public boolean requestVerifyMd5() {
        return Signer.verify(request, KEY, SignType.MD5, requestMd5);
    }

    @Benchmark
    public boolean requestVerifyHmacSha256() {
        return Signer.verify(request, KEY, SignType.HMAC_SHA256, requestHmac);
    }

    /** What the server does per answer of /query/single: sign the 13-field response map. */
    @Benchmark
    public String responseSignMd5() {
        return Signer.sign(response, KEY, SignType.MD5);
    }

    @Benchmark
    public String responseSignHmacSha256() {
        return Signer.sign(response, KEY, SignType.HMAC_SHA256);
    }

    /** The whole protocol side of a request on the server: decode the form, apply the rules, verify. */
    @Benchmark
    public boolean requestDecodeParseVerify() throws ProtocolException {
        Map<String, String> params = FormCodec.decode(requestBody, StandardCharsets.UTF_8);
        QueryRequest q = QueryRequest.parse(Endpoint.SINGLE, params, 50);
        return Signer.verify(q.params(), KEY, q.signType(), q.sign());
    }
}
