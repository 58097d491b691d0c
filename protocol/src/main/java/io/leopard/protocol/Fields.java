package io.leopard.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Field names of requests and answers, and the order in which answers write them. */
public final class Fields {
    public static final String MID = "mid";
    public static final String ORDER_NO = "orderNo";
    public static final String NOISE = "noise";
    public static final String SIGN_TYPE = "signType";
    public static final String SIGN = Signer.SIGN_FIELD;
    /**
     * When the request was made, {@code yyyyMMddHHmmss} in the platform zone: required (and checked)
     * only for a merchant with replay protection (PROTOCOL.md 4.3); signed like every parameter.
     */
    public static final String TIMESTAMP = "timestamp";

    public static final String CODE = "code";
    public static final String MSG = "msg";
    public static final String ERR_CODE = "errCode";
    public static final String RESULT_CODE = "resultCode";
    public static final String ERR_CODE_DES = "errCodeDes";
    public static final String FLOW_NO = "flowNo";
    public static final String TRADE_NO = "tradeNo";
    public static final String AMOUNT = "amount";
    public static final String TYPE = "type";
    public static final String STATUS = "status";
    public static final String ORDER_TIME = "orderTime";
    public static final String PAY_TIME = "payTime";
    /** Signed extension (PROTOCOL.md 2.4): when the channel last confirmed the state; present once a channel has. */
    public static final String CONFIRM_TIME = "confirmTime";
    /** Signed extension (PROTOCOL.md 4.4): the request's noise, echoed, binding the answer to its request. */
    public static final String REQ_NOISE = "reqNoise";
    public static final String ORDERS = "orders";
    public static final String PAY_STATUS = "payStatus";
    public static final String ORDER_AMOUNT = "orderAmount";
    public static final String SUCC_AMOUNT = "succAmount";

    /** The event feed's request (PROTOCOL.md 10): where to continue, and how many events at most. */
    public static final String AFTER = "after";
    public static final String LIMIT = "limit";
    /** The event feed's answer: the events as a JSON string, where to continue, whether more are waiting. */
    public static final String EVENTS = "events";
    public static final String NEXT = "next";
    public static final String HAS_MORE = "hasMore";
    /** A notification's and a feed event's id, {@code <flowNo>-<version>}. */
    public static final String EVENT_ID = "eventId";
    /** When a notification was sent (PROTOCOL.md 9). */
    public static final String NOTIFY_TIME = "notifyTime";
    /** When a feed event's change was made. */
    public static final String CHANGE_TIME = "changeTime";

    /** The value of {@code code} and {@code resultCode} for success, and for failure. */
    public static final String SUCCESS = "SUCCESS";
    public static final String FAIL = "FAIL";
    public static final String OK_MSG = "ok";

    /** Fields written as JSON numbers (amounts, always with two decimals); all others are strings. */
    public static final Set<String> NUMERIC = Collections.unmodifiableSet(
            new HashSet<String>(Arrays.asList(AMOUNT, ORDER_AMOUNT, SUCC_AMOUNT)));

    /** The order of an order's fields in single answers and in each element of {@code orders}. */
    public static final List<String> ORDER_FIELDS = Collections.unmodifiableList(
            Arrays.asList(ORDER_NO, FLOW_NO, TRADE_NO, AMOUNT, TYPE, STATUS, ORDER_TIME, PAY_TIME, CONFIRM_TIME));

    private Fields() {
    }

    /**
     * Whether {@code name} is one of {@link #NUMERIC} (a null name is not). Three comparisons, not
     * the set: asked for every field of every answer written.
     */
    public static boolean isNumeric(String name) {
        return AMOUNT.equals(name) || ORDER_AMOUNT.equals(name) || SUCC_AMOUNT.equals(name);
    }
}
