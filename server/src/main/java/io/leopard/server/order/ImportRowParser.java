package io.leopard.server.order;

import io.leopard.protocol.Formats;
import io.leopard.protocol.OrderState;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.PayType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns an import row into an {@link Order}, checking every field against the rules the query
 * path relies on. Times are {@code yyyyMMddHHmmss} in the platform zone.
 */
final class ImportRowParser {
    private static final Pattern FLOW_NO = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern TRADE_NO = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ZoneId zone;

    ImportRowParser(ZoneId zone) {
        this.zone = zone;
    }

    /**
     * The order of {@code fields} (by column name), or an {@link OrderJson.InvalidFieldException}
     * naming the field at fault.
     */
    Order parseFields(Map<String, String> fields) {
        return parse(fields);
    }

    /** The row's order, or an {@link ImportException} naming the line and the field. */
    Order parse(ImportRecord row) {
        try {
            return parse(row.fields());
        } catch (IllegalArgumentException e) {
            throw ImportException.at(row.line(), e.getMessage());
        }
    }

    private Order parse(Map<String, String> f) {
        String mid = required(f, "mid");
        check(ParamRules.isMid(mid), "mid", mid, "15 digits");
        String orderNo = required(f, "orderNo");
        check(ParamRules.isOrderNo(orderNo), "orderNo", orderNo, "1-32 of letters, digits, _ - | *");
        String flowNo = required(f, "flowNo");
        check(FLOW_NO.matcher(flowNo).matches(), "flowNo", flowNo, "1-32 letters and digits");
        String tradeNo = optional(f, "tradeNo");
        check(tradeNo == null || TRADE_NO.matcher(tradeNo).matches(), "tradeNo", tradeNo,
                "empty or 1-64 of letters, digits, _ -");
        String amountText = required(f, "amount");
        BigDecimal amount = Formats.parseAmount(amountText);
        check(amount != null, "amount", amountText, "yuan with at most two decimals, e.g. 5230.00");
        String type = required(f, "type");
        check(PayType.of(type).isKnown(), "type", type, "one of wechat, alipay, QQwallet, netpay, quickpay, jd");
        String sceneText = required(f, "scene");
        Scene scene = Scene.fromName(sceneText);
        check(scene != null, "scene", sceneText, "one of qrcode, jspay, brushcard, app, h5, miniprogram");
        String stateText = required(f, "state");
        OrderState state = OrderState.fromName(stateText);
        check(state != null, "state", stateText, "one of INIT, SUCCESS, FAILED, CLOSED, REVOKED");
        Instant orderTime = time(f, "orderTime", required(f, "orderTime"));
        String payTimeText = optional(f, "payTime");
        Instant payTime = payTimeText == null ? null : time(f, "payTime", payTimeText);
        // An INIT order has not been paid, so it cannot have the time its payment succeeded or
        // failed; such a row is a mistake in the source rather than something to store and hide.
        if (state == OrderState.INIT && payTime != null) {
            throw new OrderJson.InvalidFieldException("payTime", "payTime must be empty for an INIT order");
        }
        return new Order(mid, orderNo, flowNo, tradeNo, amount, type, scene, state, orderTime, payTime);
    }

    private Instant time(Map<String, String> f, String name, String text) {
        Instant t = Formats.parseTime(text, zone);
        check(t != null, name, text, "a real time written yyyyMMddHHmmss");
        return t;
    }

    private static String required(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null || v.isEmpty()) {
            throw new OrderJson.InvalidFieldException(name, name + " is empty");
        }
        return v;
    }

    private static String optional(Map<String, String> f, String name) {
        String v = f.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static void check(boolean ok, String name, String value, String expected) {
        if (!ok) {
            throw new OrderJson.InvalidFieldException(name, name + " must be " + expected + "; got \""
                    + ParamRules.printable(value == null ? "" : value) + "\"");
        }
    }
}
