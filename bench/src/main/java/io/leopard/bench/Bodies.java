package io.leopard.bench;

import io.leopard.protocol.FormCodec;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes pre-signed form bodies, one per line, for bench/run.sh's wrk script: each names random
 * existing orders {@code PREFIX + 10-digit index} (index 1..orders) of one merchant and is signed
 * with the protocol's own {@link Signer}, so that the load generator spends no CPU on signing.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.leopard.bench.Bodies --mid M --key K --orders N
 *      [--prefix BO] [--suffix S] [--skip-every K] [--count 10000] [--batch 1] [--sign-type MD5] [--seed 1]
 *      --out FILE
 * </pre>
 * With {@code --batch B > 1} each body's {@code orderNo} is a comma-separated list of B distinct
 * order numbers (for /query/multi). {@code --suffix} is appended to every order number (S1's
 * {@code BP0000000001-pending}, which the sandbox channel keeps pending); {@code --skip-every K}
 * never names an index that is a multiple of K (bench/run.sh seeds every tenth order INIT, so
 * {@code --skip-every 10} names settled orders only).
 */
public final class Bodies {

    private Bodies() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("bad argument: " + args[i]);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        String mid = required(opts, "mid");
        String key = required(opts, "key");
        long orders = Long.parseLong(required(opts, "orders"));
        Path out = Path.of(required(opts, "out"));
        String prefix = opts.getOrDefault("prefix", "BO");
        String suffix = opts.getOrDefault("suffix", "");
        long skipEvery = Long.parseLong(opts.getOrDefault("skip-every", "0"));
        int count = Integer.parseInt(opts.getOrDefault("count", "10000"));
        int batch = Integer.parseInt(opts.getOrDefault("batch", "1"));
        SignType type = SignType.fromWire(opts.getOrDefault("sign-type", "MD5"));
        long named = skipEvery > 1 ? orders - orders / skipEvery : orders;
        if (type == null || batch < 1 || batch > named || orders < 1 || count < 1 || skipEvery < 0 || skipEvery == 1) {
            usage("bad --sign-type, --batch, --orders, --skip-every or --count");
        }
        SplittableRandom random = new SplittableRandom(Long.parseLong(opts.getOrDefault("seed", "1")));
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int n = 0; n < count; n++) {
                Set<String> nos = new LinkedHashSet<>();
                while (nos.size() < batch) {
                    long i = 1 + random.nextLong(orders);
                    if (skipEvery == 0 || i % skipEvery != 0) {
                        nos.add(orderNo(prefix, i) + suffix);
                    }
                }
                Map<String, String> params = new LinkedHashMap<>();
                params.put("mid", mid);
                params.put("orderNo", String.join(",", nos));
                params.put("noise", "b" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
                if (type != SignType.MD5) {
                    params.put("signType", type.wireName());
                }
                params.put("sign", Signer.sign(params, key, type));
                w.write(FormCodec.encode(params));
                w.newLine();
            }
        }
    }

    /** The order number of index {@code i}; bench/run.sh seeds the same numbers. */
    static String orderNo(String prefix, long i) {
        return prefix + String.format("%010d", i);
    }

    private static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            usage("missing --" + name);
        }
        return v;
    }

    private static void usage(String why) {
        System.err.println("Bodies: " + why);
        System.err.println("usage: Bodies --mid M --key K --orders N --out FILE [--prefix BO] [--suffix S]"
                + " [--skip-every K] [--count 10000] [--batch 1] [--sign-type MD5] [--seed 1]");
        System.exit(2);
    }
}
