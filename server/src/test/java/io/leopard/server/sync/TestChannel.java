package io.leopard.server.sync;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.Channel;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A channel that answers what the test says: its query and cancel answers are functions of the
 * asked order (which may throw a ChannelException, or write the order meanwhile); every call is
 * counted and remembered.
 */
final class TestChannel implements Channel {
    private final String name;
    final AtomicInteger queries = new AtomicInteger();
    final AtomicInteger cancels = new AtomicInteger();
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile Function<ChannelOrder, ChannelReply> onQuery = o -> ChannelReply.Known.pending();
    volatile Function<ChannelOrder, CancelReply> onCancel = o -> CancelReply.of(CancelReply.Outcome.CLOSED);

    TestChannel(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, String> checkCredentials(Map<String, String> fields) {
        return fields;
    }

    @Override
    public ChannelReply query(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
        queries.incrementAndGet();
        calls.add("query " + order.orderNo());
        return onQuery.apply(order);
    }

    @Override
    public CancelReply cancel(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
        cancels.incrementAndGet();
        calls.add("cancel " + order.orderNo());
        return onCancel.apply(order);
    }
}
