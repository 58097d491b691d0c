package io.leopard.server.notify;

import io.leopard.protocol.Fields;
import io.leopard.protocol.Formats;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.order.Order;
import io.leopard.server.query.OrderFields;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change of an order as merchants are told of it: the order as it was after the change (its
 * state, trade number and pay time then), under the event id {@code <flowNo>-<version>}, which is
 * the same on every retry and in the event feed.
 *
 * @param signType the merchant's notify sign type, {@code null} for MD5
 * @param changeId the change's position in the commit log (the feed's cursor)
 */
record NotificationEvent(Order order, long version, String signType, long changeId) {
    static final String EVENT_ID = Fields.EVENT_ID;
    static final String NOTIFY_TIME = Fields.NOTIFY_TIME;

    static String eventId(String flowNo, long version) {
        return flowNo + "-" + version;
    }

    String eventId() {
        return eventId(order.flowNo(), version);
    }

    /**
     * The signed form a merchant receives: {@code mid}, the order's fields as {@code /query/single}
     * answers them, {@code eventId}, {@code notifyTime}, {@code noise}, {@code signType} (when not
     * MD5) and {@code sign} over all of them with the merchant's key (PROTOCOL.md 3).
     */
    Map<String, String> signedForm(OrderFields orderFields, java.time.ZoneId zone, String key, String noise, Instant now) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put(Fields.MID, order.mid());
        orderFields.putQueryFields(order, form);
        form.put(EVENT_ID, eventId());
        form.put(NOTIFY_TIME, Formats.time(now, zone));
        form.put(Fields.NOISE, noise);
        SignType type = signType == null ? SignType.MD5 : SignType.fromWire(signType);
        if (type != SignType.MD5) {
            form.put(Fields.SIGN_TYPE, type.wireName());
        }
        form.put(Fields.SIGN, Signer.sign(form, key, type));
        return form;
    }
}
