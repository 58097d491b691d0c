package io.leopard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * {@link AnswerBench}'s old and new ways timed in CPU time of the measuring thread instead of
 * wall time, in alternating rounds: on a shared machine whose load leaves a thread a fraction of
 * a core, JMH's wall-clock ns/op spread by 2x, while CPU time per operation holds.
 * {@code java -cp bench/target/benchmarks.jar io.leopard.bench.AnswerCpu [rounds]}.
 */
public final class AnswerCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static Object sink;

    private AnswerCpu() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        AnswerBench bench = new AnswerBench();
        bench.setUp();
        compare("single", bench::singleOld, bench::singleNew, 20_000, rounds);
        java.util.Map<String, String> fields = bench.singleFields();
        compare("single, sign only", () -> LegacyAnswer.signMd5(fields, io.leopard.server.demo.DemoFixture.KEY),
                () -> io.leopard.protocol.Signer.sign(fields, io.leopard.server.demo.DemoFixture.KEY, io.leopard.protocol.SignType.MD5), 20_000, rounds);
        compare("single, JSON only", () -> LegacyAnswer.object(fields),
                () -> io.leopard.server.query.JsonWriter.object(fields), 20_000, rounds);
        compare("multi", bench::multiOld, bench::multiNew, 500, rounds);
    }

    private static void compare(String name, Supplier<Object> old, Supplier<Object> now, int ops, int rounds) {
        for (int i = 0; i < 10; i++) {
            cpuPerOp(old, ops);
            cpuPerOp(now, ops);
        }
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            a[r] = cpuPerOp(old, ops);
            b[r] = cpuPerOp(now, ops);
        }
        System.out.printf("%s: old %.0f ns/op, new %.0f ns/op (medians of %d rounds of %d, CPU time); new/old %.2f%n",
                name, median(a), median(b), rounds, ops, median(b) / median(a));
    }

    private static double cpuPerOp(Supplier<Object> op, int ops) {
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < ops; i++) {
            sink = op.get();
        }
        return (THREADS.getCurrentThreadCpuTime() - start) / (double) ops;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
