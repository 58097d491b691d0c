package io.leopard.sdk;

import io.leopard.protocol.ParamRules;

/**
 * Event ids, {@code <flowNo>-<version>} (PROTOCOL.md 9 and 10): one checked against the order it
 * names, fail closed, and its version read (the higher version of one order is the later state).
 */
final class EventIds {
    private EventIds() {
    }

    /** The version in {@code eventId}, which must be {@code flowNo}, a hyphen and a positive decimal version. */
    static long version(String eventId, String flowNo, String where) {
        String prefix = flowNo + "-";
        String digits = eventId.startsWith(prefix) ? eventId.substring(prefix.length()) : "";
        boolean wellFormed = !digits.isEmpty() && digits.length() <= 18 && digits.charAt(0) != '0';
        for (int i = 0; wellFormed && i < digits.length(); i++) {
            wellFormed = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
        }
        if (!wellFormed) {
            throw new LeopardResponseException(where + ": eventId \"" + ParamRules.printable(eventId)
                    + "\" is not <flowNo>-<version> of flowNo " + ParamRules.printable(flowNo));
        }
        return Long.parseLong(digits);
    }
}
