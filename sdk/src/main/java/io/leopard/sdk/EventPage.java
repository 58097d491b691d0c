package io.leopard.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One verified page of the merchant's event feed: its events oldest first, the cursor to ask for
 * the next page with ({@link #next()}, to keep, e.g. with the events handled), and whether more are
 * waiting already.
 */
public final class EventPage {
    private final List<FeedEvent> events;
    private final String next;
    private final boolean hasMore;

    private EventPage(List<FeedEvent> events, String next, boolean hasMore) {
        this.events = events;
        this.next = next;
        this.hasMore = hasMore;
    }

    static EventPage of(List<FeedEvent> events, String next, boolean hasMore) {
        return new EventPage(Collections.unmodifiableList(new ArrayList<FeedEvent>(events)), next, hasMore);
    }

    /** The events after the cursor asked with, oldest first; unmodifiable, maybe empty. */
    public List<FeedEvent> events() {
        return events;
    }

    /** The cursor to pass as {@code after} next time; the one asked with when nothing was new. */
    public String next() {
        return next;
    }

    /** Whether more events were waiting beyond this page: ask again at once (else later). */
    public boolean hasMore() {
        return hasMore;
    }

    @Override
    public String toString() {
        return "EventPage{" + events.size() + " events, next=" + next + ", hasMore=" + hasMore + '}';
    }
}
