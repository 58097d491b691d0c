package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class StatesAndFormatsTest {

    @Test
    void stateMappingFollowsTheProtocolTable() {
        assertThat(OrderState.INIT.status()).isEqualTo(OrderStatus.INITIAL);
        assertThat(OrderState.INIT.payStatus()).isEqualTo(PayStatus.PENDING);
        assertThat(OrderState.SUCCESS.status().value()).isEqualTo("1");
        assertThat(OrderState.SUCCESS.payStatus().value()).isEqualTo("1");
        assertThat(OrderState.FAILED.status().value()).isEqualTo("2");
        assertThat(OrderState.FAILED.payStatus().value()).isEqualTo("2");
        assertThat(OrderState.CLOSED.status().value()).isEqualTo("3");
        assertThat(OrderState.CLOSED.payStatus().value()).isEqualTo("2");
        assertThat(OrderState.REVOKED.status().value()).isEqualTo("3");
        assertThat(OrderState.REVOKED.payStatus().value()).isEqualTo("10");
    }

    @Test
    void allowedMoves() {
        for (OrderState next : OrderState.values()) {
            assertThat(OrderState.INIT.canMoveTo(next, false)).isTrue();
        }
        assertThat(OrderState.SUCCESS.canMoveTo(OrderState.REVOKED, true)).isTrue();
        assertThat(OrderState.SUCCESS.canMoveTo(OrderState.REVOKED, false)).isFalse();
        assertThat(OrderState.SUCCESS.canMoveTo(OrderState.FAILED, true)).isFalse();
        assertThat(OrderState.SUCCESS.canMoveTo(OrderState.INIT, true)).isFalse();
        assertThat(OrderState.FAILED.canMoveTo(OrderState.CLOSED, false)).isTrue();
        assertThat(OrderState.FAILED.canMoveTo(OrderState.SUCCESS, false)).isFalse();
        for (OrderState next : OrderState.values()) {
            if (next != OrderState.CLOSED) {
                assertThat(OrderState.CLOSED.canMoveTo(next, true)).isFalse();
            }
            if (next != OrderState.REVOKED) {
                assertThat(OrderState.REVOKED.canMoveTo(next, true)).isFalse();
            }
        }
    }

    @Test
    void unknownWireValuesAreKept() {
        assertThat(OrderStatus.of("1")).isSameAs(OrderStatus.SUCCESS);
        OrderStatus future = OrderStatus.of("7");
        assertThat(future.isKnown()).isFalse();
        assertThat(future.value()).isEqualTo("7");
        assertThat(PayStatus.of("10")).isSameAs(PayStatus.REVOKED);
        assertThat(PayStatus.of("11").isFinal()).isFalse();
        assertThat(PayType.of("QQwallet")).isSameAs(PayType.QQWALLET);
        assertThat(PayType.of("qqwallet").isKnown()).isFalse();
    }

    @Test
    void amounts() {
        assertThat(Formats.amount(new BigDecimal("5230"))).isEqualTo("5230.00");
        assertThat(Formats.amount(new BigDecimal("1E+3"))).isEqualTo("1000.00");
        assertThat(Formats.parseAmount("0.01")).isEqualByComparingTo("0.01");
        assertThat(Formats.parseAmount("12.5").scale()).isEqualTo(2);
        for (String bad : new String[] {"1.234", "-1", "abc", "", "1.", ".5", "1e3", "12345678901234567", " 1"}) {
            assertThat(Formats.parseAmount(bad)).as(bad).isNull();
        }
    }

    @Test
    void times() {
        ZoneId shanghai = Formats.DEFAULT_ZONE;
        Instant t = Formats.parseTime("20161110101010", shanghai);
        assertThat(t).isEqualTo(Instant.parse("2016-11-10T02:10:10Z"));
        assertThat(Formats.time(t, shanghai)).isEqualTo("20161110101010");
        assertThat(Formats.time(t, ZoneId.of("UTC"))).isEqualTo("20161110021010");
        for (String bad : new String[] {"20160230101010", "20161110241010", "2016111010101", "2016-11-10 10:10", "abc"}) {
            assertThat(Formats.parseTime(bad, shanghai)).as(bad).isNull();
        }
    }

    @Test
    void isNumericNamesExactlyTheNumericFields() throws Exception {
        for (java.lang.reflect.Field f : Fields.class.getFields()) {
            if (f.getType() == String.class) {
                String name = (String) f.get(null);
                assertThat(Fields.isNumeric(name)).as(name).isEqualTo(Fields.NUMERIC.contains(name));
                assertThat(Fields.isNumeric(new String(name.toCharArray()))).as("a copy of " + name).isEqualTo(Fields.NUMERIC.contains(name));
            }
        }
        assertThat(Fields.NUMERIC).allSatisfy(n -> assertThat(Fields.isNumeric(n)).isTrue());
        assertThat(Fields.isNumeric("Amount")).isFalse();
        assertThat(Fields.isNumeric(null)).isFalse();
    }
}
