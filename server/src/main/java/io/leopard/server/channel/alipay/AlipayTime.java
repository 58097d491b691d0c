package io.leopard.server.channel.alipay;

import io.leopard.server.channel.ChannelException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * Alipay's times: {@code yyyy-MM-dd HH:mm:ss} without a zone, meaning Beijing time. The gateway
 * refuses a request whose {@code timestamp} is far from its clock, so the zone must be right
 * whatever the server's own zone is.
 */
final class AlipayTime {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);

    private AlipayTime() {
    }

    static String format(Instant instant) {
        return FORMAT.format(instant.atZone(ZONE));
    }

    /** The instant of an answer's time; a text that is no such time makes the answer malformed. */
    static Instant parse(String field, String text) {
        try {
            return LocalDateTime.parse(text, FORMAT).atZone(ZONE).toInstant();
        } catch (DateTimeParseException e) {
            throw new ChannelException(ChannelException.Failure.MALFORMED, "alipay " + field + " is not a time: " + AlipayAnswer.quote(text));
        }
    }
}
