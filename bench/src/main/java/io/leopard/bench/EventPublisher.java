package io.leopard.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * W2's publisher for bench/run.sh: publishes order events (one JSON object per message, the
 * fields of an internal PUT plus {@code mid} and {@code orderNo}) to the server's queue through
 * the default exchange, persistent, with publisher confirms every {@code --confirm-every}
 * messages, and prints one line {@code PUBLISHED <count> <seconds> <epoch ms of the first publish>}
 * (so that the caller times from the first message, not from this JVM's start). Orders are created INIT,
 * numbered {@code <prefix>O<n>} from {@code --start}, the merchants taken in turn.
 *
 * <pre>
 *   java -cp benchmarks.jar io.leopard.bench.EventPublisher --uri amqp://guest:guest@127.0.0.1:5672 \
 *       --queue Q --mids M1,M2,M3 --start 0 --count 50000 --prefix E
 *   java -cp benchmarks.jar io.leopard.bench.EventPublisher --uri ... --queue Q --delete   (Q and Q.dead)
 * </pre>
 * The queue is the server's (it declares it, a quorum queue): this only checks it exists.
 */
public final class EventPublisher {
    private EventPublisher() {
    }

    public static void main(String[] args) throws Exception {
        String uri = "amqp://guest:guest@127.0.0.1:5672";
        String queue = null;
        String[] mids = {};
        String prefix = "E";
        long start = 0;
        long count = 0;
        int confirmEvery = 500;
        boolean delete = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--uri" -> uri = args[++i];
                case "--queue" -> queue = args[++i];
                case "--mids" -> mids = args[++i].split(",");
                case "--prefix" -> prefix = args[++i];
                case "--start" -> start = Long.parseLong(args[++i]);
                case "--count" -> count = Long.parseLong(args[++i]);
                case "--confirm-every" -> confirmEvery = Integer.parseInt(args[++i]);
                case "--delete" -> delete = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (queue == null) {
            throw new IllegalArgumentException("--queue is required");
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        try (Connection connection = factory.newConnection("leopard-bench-publisher");
             Channel ch = connection.createChannel()) {
            if (delete) {
                for (String q : new String[] {queue, queue + ".dead"}) {
                    ch.queueDelete(q);
                }
                System.out.println("DELETED " + queue + " " + queue + ".dead");
                return;
            }
            if (mids.length == 0) {
                throw new IllegalArgumentException("--mids is required");
            }
            ch.queueDeclarePassive(queue);
            ch.confirmSelect();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).build();
            long startedMs = System.currentTimeMillis();
            long t0 = System.nanoTime();
            for (long n = start; n < start + count; n++) {
                long cents = 100 + n % 100_000;
                String body = String.format(Locale.ROOT,
                        "{\"mid\":\"%s\",\"orderNo\":\"%sO%010d\",\"flowNo\":\"%sF%010d\",\"tradeNo\":null,"
                                + "\"amount\":\"%d.%02d\",\"type\":\"wechat\",\"scene\":\"qrcode\",\"state\":\"INIT\","
                                + "\"orderTime\":\"20261202120000\",\"payTime\":null}",
                        mids[(int) (n % mids.length)], prefix, n, prefix, n, cents / 100, cents % 100);
                ch.basicPublish("", queue, props, body.getBytes(StandardCharsets.UTF_8));
                if ((n - start + 1) % confirmEvery == 0) {
                    ch.waitForConfirmsOrDie(60_000);
                }
            }
            ch.waitForConfirmsOrDie(60_000);
            System.out.printf(Locale.ROOT, "PUBLISHED %d %.3f %d%n", count, (System.nanoTime() - t0) / 1e9, startedMs);
        }
    }
}
