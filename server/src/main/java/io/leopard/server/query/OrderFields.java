package io.leopard.server.query;

import io.leopard.protocol.Fields;
import io.leopard.protocol.Formats;
import io.leopard.server.order.Order;
import java.time.ZoneId;
import java.util.Map;

/**
 * Writes an order's fields the way single answers and the elements of {@code orders} carry them
 * (PROTOCOL.md 2.1), and the card-present fields (2.3). Absent values are left out, never empty.
 */
public final class OrderFields {
    private final ZoneId zone;

    public OrderFields(ZoneId zone) {
        this.zone = zone;
    }

    /** orderNo, flowNo, tradeNo, amount, type, status, orderTime, payTime: in that order. */
    public void putQueryFields(Order order, Map<String, String> out) {
        out.put(Fields.ORDER_NO, order.orderNo());
        out.put(Fields.FLOW_NO, order.flowNo());
        putIfPresent(out, Fields.TRADE_NO, order.tradeNo());
        out.put(Fields.AMOUNT, Formats.amount(order.amount()));
        out.put(Fields.TYPE, order.type());
        out.put(Fields.STATUS, order.state().status().value());
        out.put(Fields.ORDER_TIME, Formats.time(order.orderTime(), zone));
        if (order.state().showsPayTimeInQuery() && order.payTime() != null) {
            out.put(Fields.PAY_TIME, Formats.time(order.payTime(), zone));
        }
        putConfirmTime(order, out);
    }

    /** orderNo, flowNo, tradeNo, payStatus, orderAmount, succAmount, payTime. */
    void putBrushcardFields(Order order, Map<String, String> out) {
        out.put(Fields.ORDER_NO, order.orderNo());
        out.put(Fields.FLOW_NO, order.flowNo());
        putIfPresent(out, Fields.TRADE_NO, order.tradeNo());
        out.put(Fields.PAY_STATUS, order.state().payStatus().value());
        String amount = Formats.amount(order.amount());
        out.put(Fields.ORDER_AMOUNT, amount);
        // Only a payment that succeeded and was kept counts; a revoked one was handed back.
        out.put(Fields.SUCC_AMOUNT, order.state().payStatus().equals(io.leopard.protocol.PayStatus.PAID) ? amount : "0.00");
        if (order.state().showsPayTimeInBrushcard() && order.payTime() != null) {
            out.put(Fields.PAY_TIME, Formats.time(order.payTime(), zone));
        }
        putConfirmTime(order, out);
    }

    /**
     * When the order's channel last confirmed this state (PROTOCOL.md 2.4): a signed extension field,
     * present only once a channel has.
     */
    private void putConfirmTime(Order order, Map<String, String> out) {
        if (order.confirmedAt() != null) {
            out.put(Fields.CONFIRM_TIME, Formats.time(order.confirmedAt(), zone));
        }
    }

    private static void putIfPresent(Map<String, String> out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(name, value);
        }
    }
}
