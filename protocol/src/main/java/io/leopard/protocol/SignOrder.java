package io.leopard.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which fields of a map are signed, and in what order (PROTOCOL.md 3, steps 1 and 2): not
 * {@code sign}, value not empty, names in byte order.
 *
 * <p>The protocol's own names ({@link #KNOWN}) are sorted once, here: for a map that holds only
 * those, picking its fields out in that order gives the sorted list without sorting per call (a
 * list, a sort with a code-point comparator and a second look-up per value were most of signing
 * a 17-field answer). A map with any other name or a {@code null} value, or a map that is not a
 * plain {@code HashMap}/{@code LinkedHashMap}, is sorted as it is.
 */
final class SignOrder {

    /**
     * Names compare by code point, which is UTF-8 byte order; names on the wire are ASCII,
     * for which this is plain {@code String} order.
     */
    static final Comparator<String> BYTE_ORDER = new Comparator<String>() {
        @Override
        public int compare(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                int ca = a.codePointAt(i);
                int cb = b.codePointAt(j);
                if (ca != cb) {
                    return ca < cb ? -1 : 1;
                }
                i += Character.charCount(ca);
                j += Character.charCount(cb);
            }
            return (a.length() - i) - (b.length() - j);
        }
    };

    /** Every name of the protocol's requests and answers, in byte order. */
    private static final String[] KNOWN = sorted(Fields.MID, Fields.ORDER_NO, Fields.NOISE, Fields.SIGN_TYPE,
            Fields.SIGN, Fields.TIMESTAMP, Fields.CODE, Fields.MSG, Fields.ERR_CODE, Fields.RESULT_CODE,
            Fields.ERR_CODE_DES, Fields.FLOW_NO, Fields.TRADE_NO, Fields.AMOUNT, Fields.TYPE, Fields.STATUS,
            Fields.ORDER_TIME, Fields.PAY_TIME, Fields.CONFIRM_TIME, Fields.REQ_NOISE, Fields.ORDERS,
            Fields.PAY_STATUS, Fields.ORDER_AMOUNT, Fields.SUCC_AMOUNT, Fields.AFTER, Fields.LIMIT, Fields.EVENTS,
            Fields.NEXT, Fields.HAS_MORE, Fields.EVENT_ID, Fields.NOTIFY_TIME, Fields.CHANGE_TIME);

    private SignOrder() {
    }

    /**
     * The signed fields of {@code fields} in byte order of their names: {@code names[i]} with
     * {@code values[i]}, for {@code i < count}.
     */
    static final class Signed {
        final String[] names;
        final String[] values;
        int count;

        private Signed(int capacity) {
            names = new String[capacity];
            values = new String[capacity];
        }

        private void add(String name, String value) {
            names[count] = name;
            values[count] = value;
            count++;
        }
    }

    static Signed of(Map<String, String> fields) {
        // only maps whose get() finds keys by equals(): a case-insensitive TreeMap or an
        // IdentityHashMap would answer for names they do not hold, or hide names they do
        Class<?> kind = fields.getClass();
        if (kind != LinkedHashMap.class && kind != HashMap.class) {
            return sortedOf(fields);
        }
        Signed out = new Signed(fields.size());
        int seen = 0;
        for (String name : KNOWN) {
            String value = fields.get(name);
            if (value != null) {
                seen++;
                if (!value.isEmpty() && !Signer.SIGN_FIELD.equals(name)) {
                    out.add(name, value);
                }
            }
        }
        return seen == fields.size() ? out : sortedOf(fields);
    }

    /** The general case: any names, {@code null} values (not signed). */
    private static Signed sortedOf(Map<String, String> fields) {
        List<String> names = names(fields, false, false);
        Signed out = new Signed(names.size());
        for (String name : names) {
            out.add(name, fields.get(name));
        }
        return out;
    }

    /**
     * The names of {@code fields} in byte order, leaving out {@code sign} unless {@code keepSign}
     * and those with empty values unless {@code keepEmpty}.
     */
    static List<String> names(Map<String, String> fields, boolean keepEmpty, boolean keepSign) {
        List<String> names = new ArrayList<String>(fields.size());
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String value = e.getValue();
            boolean empty = value == null || value.isEmpty();
            if (Signer.SIGN_FIELD.equals(e.getKey()) ? keepSign : keepEmpty || !empty) {
                names.add(e.getKey());
            }
        }
        Collections.sort(names, BYTE_ORDER);
        return names;
    }

    private static String[] sorted(String... names) {
        String[] out = names.clone();
        Arrays.sort(out, BYTE_ORDER);
        return out;
    }
}
