package io.leopard.demo;

import io.leopard.protocol.OrderStatus;
import io.leopard.protocol.PayStatus;
import io.leopard.sdk.BrushcardOutcome;
import io.leopard.sdk.BrushcardResult;
import io.leopard.sdk.EventPage;
import io.leopard.sdk.FeedEvent;
import io.leopard.sdk.MultiResult;
import io.leopard.sdk.Notification;
import io.leopard.sdk.OrderResult;
import io.leopard.sdk.SingleResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** Prints verified results for people. */
final class Printer {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final PrintWriter out;
    /** The answers of the current poll so far. */
    private int polls;

    Printer(PrintWriter out) {
        this.out = out;
    }

    void line(String s) {
        out.println(s);
        out.flush();
    }

    void single(SingleResult r) {
        if (!r.isFound()) {
            line("order " + r.orderNo() + ": not found (ORDER_NOT_EXIST)");
            return;
        }
        order(r.order());
        line("(answer signature verified)");
    }

    void multi(MultiResult r) {
        line(String.format("%-32s  %-18s  %12s  %-9s  %s", "orderNo", "status", "amount", "type", "payTime"));
        for (OrderResult o : r.orders()) {
            line(String.format("%-32s  %-18s  %12s  %-9s  %s", o.orderNo(), status(o.status()),
                    o.amount() == null ? "-" : o.amount().toPlainString(), o.type() == null ? "-" : o.type(), time(o.payTime())));
        }
        line("(" + r.size() + " orders, answer signatures verified)");
    }

    void brushcard(BrushcardResult r) {
        if (!r.isFound()) {
            line("card-present order " + r.orderNo() + ": not found (ORDER_NOT_EXIST)");
            return;
        }
        line("orderNo      " + r.orderNo());
        line("payStatus    " + payStatus(r.payStatus()));
        line("orderAmount  " + r.orderAmount().toPlainString());
        line("succAmount   " + r.succAmount().toPlainString());
        line("flowNo       " + r.flowNo());
        line("tradeNo      " + dash(r.tradeNo()));
        line("payTime      " + time(r.payTime()));
        if (r.confirmTime() != null) {
            line("confirmTime  " + time(r.confirmTime()) + " (when the payment channel last confirmed it)");
        }
        line("(answer signature verified)");
    }

    /** A verified notification, one block. */
    void notification(Notification n) {
        line("notification " + n.eventId() + " (mid " + n.mid() + ", sent " + time(n.notifyTime()) + ")");
        order(n.order());
        line("(notification signature verified; answered SUCCESS)");
        line("");
    }

    /** A notification that did not verify, and why. */
    void refused(String why) {
        line("notification REFUSED: " + why + " (answered 400 FAIL)");
        line("");
    }

    /** A page of the event feed: one block per event, then where to continue. */
    void events(EventPage page) {
        for (FeedEvent e : page.events()) {
            line("event " + e.eventId() + " (changed " + time(e.changeTime()) + ")");
            order(e.order());
            line("");
        }
        line("(" + page.events().size() + (page.events().size() == 1 ? " event" : " events") + ", answer signature verified)");
        line("next: " + page.next() + (page.hasMore() ? " (more waiting: --after " + page.next() + ")"
                : " (nothing more yet: ask again later with --after " + page.next() + ")"));
    }

    /** One answer of a poll, as it comes. */
    void polled(BrushcardResult r) {
        polls++;
        line("  query " + polls + ": " + (r.isFound() ? "payStatus " + payStatus(r.payStatus())
                + (r.confirmTime() == null ? "" : ", confirmed by the channel at " + time(r.confirmTime())) : "not found"));
    }

    void outcome(BrushcardOutcome o) {
        brushcard(o.result());
        String after = o.queries() + (o.queries() == 1 ? " query" : " queries") + " (" + seconds(o.waited()) + ")";
        switch (o.state()) {
            case STILL_PENDING_REVOKE_IT:
                line("=> still not paid after " + after + ": REVOKE IT");
                break;
            case NOT_FOUND:
                line("=> no such card-present order");
                break;
            default:
                line("=> final: " + o.state() + " after " + after);
        }
    }

    /** {@code 5 s}, {@code 0.2 s}, {@code 30.1 s}. */
    static String seconds(Duration d) {
        long tenths = Math.round(d.toMillis() / 100.0);
        return (tenths % 10 == 0 ? String.valueOf(tenths / 10) : (tenths / 10) + "." + (tenths % 10)) + " s";
    }

    private void order(OrderResult o) {
        line("orderNo    " + o.orderNo());
        line("status     " + status(o.status()));
        line("amount     " + o.amount().toPlainString());
        line("type       " + o.type());
        line("flowNo     " + o.flowNo());
        line("tradeNo    " + dash(o.tradeNo()));
        line("orderTime  " + time(o.orderTime()));
        line("payTime    " + time(o.payTime()));
        if (o.confirmTime() != null) {
            line("confirmTime " + time(o.confirmTime()) + " (when the payment channel last confirmed it)");
        }
    }

    static String status(OrderStatus s) {
        String meaning = s.equals(OrderStatus.INITIAL) ? "initial"
                : s.equals(OrderStatus.SUCCESS) ? "paid"
                : s.equals(OrderStatus.FAILED) ? "failed"
                : s.equals(OrderStatus.CLOSED) ? "closed"
                : s.equals(OrderStatus.NO_INFORMATION) ? "not found" : "unknown";
        return s.value() + " (" + meaning + ")";
    }

    static String payStatus(PayStatus s) {
        String meaning = s.equals(PayStatus.PAID) ? "paid"
                : s.equals(PayStatus.FAILED) ? "failed"
                : s.equals(PayStatus.PENDING) ? "pending"
                : s.equals(PayStatus.REVOKED) ? "revoked" : "unknown";
        return s.value() + " (" + meaning + ")";
    }

    private static String time(LocalDateTime t) {
        return t == null ? "-" : TIME.format(t);
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
