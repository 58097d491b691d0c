package io.leopard.server.merchant;

import io.leopard.protocol.ParamRules;
import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.CidrRange;
import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Merchants in the database, keys encrypted with {@link KeyCipher}. Every change bumps the row's
 * {@code version}, which is what {@link #changeStamp()} sums so that the query path's cache can
 * notice changes made by the CLI from another process. Times are stored as UTC to the second.
 */
public final class MerchantStore {
    private static final int MAX_NAME = 128;

    private final Database database;
    private final KeyCipher cipher;
    private final Clock clock;
    private final MerchantChanges changes;

    public MerchantStore(Database database, KeyCipher cipher) {
        this(database, cipher, Clock.systemUTC());
    }

    public MerchantStore(Database database, KeyCipher cipher, Clock clock) {
        this(database, cipher, clock, MerchantChanges.NONE);
    }

    /** @param changes told of each change once it is committed (the nodes of a cluster reload then) */
    public MerchantStore(Database database, KeyCipher cipher, Clock clock, MerchantChanges changes) {
        this.database = database;
        this.cipher = cipher;
        this.clock = clock;
        this.changes = changes;
    }

    /**
     * Adds an enabled merchant.
     *
     * @throws IllegalArgumentException when the mid, name or key is malformed or the mid is taken
     */
    public void add(String mid, String name, String key) {
        if (!ParamRules.isMid(mid)) {
            throw new IllegalArgumentException("mid must be exactly 15 digits");
        }
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME + " characters and not blank");
        }
        if (!MerchantKeys.isValid(key)) {
            throw new IllegalArgumentException("key must be 8 to 64 printable ASCII characters without spaces");
        }
        LocalDateTime now = now();
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "INSERT INTO merchants (mid, name, enabled, key_enc, "
                     + "version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)")) {
            ps.setString(1, mid);
            ps.setString(2, name);
            ps.setBoolean(3, true);
            ps.setString(4, cipher.encrypt(mid, key));
            ps.setObject(5, now);
            ps.setObject(6, now);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw new IllegalArgumentException("merchant " + mid + " already exists");
            }
            throw database.failure("cannot add merchant " + mid + ": " + e.getMessage(), e);
        }
        changes.changed(mid); // autocommit: the row is committed once executeUpdate returned
    }

    /** The longest notify URL stored. */
    public static final int MAX_NOTIFY_URL = 512;

    /**
     * Sets where the merchant's notifications go ({@code url} {@code null}: nowhere) and the sign
     * type they are signed with ({@code null}: MD5). Whether the URL's host may be reached is checked
     * at every delivery, after DNS resolution, not here: an address can change.
     *
     * @return {@code false} when there is no such merchant
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL with a host, or too long,
     *                                  or the sign type is unknown
     */
    public boolean setNotify(String mid, String url, io.leopard.protocol.SignType signType) {
        if (url != null) {
            checkNotifyUrl(url);
        }
        return update(mid, "UPDATE merchants SET notify_url = ?, notify_sign_type = ?, version = version + 1, updated_at = ?"
                + " WHERE mid = ?", ps -> {
                    ps.setString(1, url);
                    ps.setString(2, url == null || signType == null ? null : signType.wireName());
                    ps.setObject(3, now());
                    ps.setString(4, mid);
                });
    }

    /** The merchant's notify URL and sign type ({@code [url, signType]}, each {@code null} when unset); empty: no such merchant. */
    public java.util.Optional<String[]> notify(String mid) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT notify_url, notify_sign_type FROM merchants WHERE mid = ?")) {
            ps.setString(1, mid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw database.failure("cannot read merchant " + mid + ": " + e.getMessage(), e);
        }
    }

    /**
     * An absolute {@code http} or {@code https} URL with a host, no user info or fragment, a port (when
     * given) from 1 to 65535, at most {@value #MAX_NOTIFY_URL} characters.
     */
    public static void checkNotifyUrl(String url) {
        if (url.length() > MAX_NOTIFY_URL) {
            throw new IllegalArgumentException("the notify URL is longer than " + MAX_NOTIFY_URL + " characters");
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("the notify URL is not a URL: " + e.getReason());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the notify URL must be an http:// or https:// URL with a host, "
                    + "without user info or a fragment");
        }
        // java.net.URI takes any digits as a port: such a URL would fail every attempt, so refuse it now
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("the notify URL's port must be from 1 to 65535");
        }
    }

    /** Enables or disables a merchant; {@code false} when there is no such merchant. */
    public boolean setEnabled(String mid, boolean enabled) {
        return update(mid, "UPDATE merchants SET enabled = ?, version = version + 1, updated_at = ? WHERE mid = ?",
                ps -> {
                    ps.setBoolean(1, enabled);
                    ps.setObject(2, now());
                    ps.setString(3, mid);
                });
    }

    /**
     * Turns signature diagnosis on or off for a merchant (on for sandbox and demo merchants only:
     * a diagnosis is a signed answer to whoever asks); {@code false} when there is no such merchant.
     */
    public boolean setDebug(String mid, boolean debug) {
        return update(mid, "UPDATE merchants SET debug = ?, version = version + 1, updated_at = ? WHERE mid = ?",
                ps -> {
                    ps.setBoolean(1, debug);
                    ps.setObject(2, now());
                    ps.setString(3, mid);
                });
    }

    /** The shortest replay window: below it, ordinary clock drift and network delay fail honest requests. */
    public static final Duration MIN_REPLAY_WINDOW = Duration.ofMinutes(1);
    /** The longest: every noise is remembered for up to twice the window, on every node (or in Redis). */
    public static final Duration MAX_REPLAY_WINDOW = Duration.ofHours(1);

    /**
     * Turns replay protection on with {@code window} (whole seconds, {@link #MIN_REPLAY_WINDOW} to
     * {@link #MAX_REPLAY_WINDOW}), or off with {@code null}. {@code false} when there is no such merchant.
     *
     * @throws IllegalArgumentException when the window is out of bounds or not whole seconds
     */
    public boolean setReplayWindow(String mid, Duration window) {
        if (window != null) {
            checkReplayWindow(window);
        }
        return update(mid, "UPDATE merchants SET replay_window_seconds = ?, version = version + 1, updated_at = ? WHERE mid = ?",
                ps -> {
                    ps.setObject(1, window == null ? null : (int) window.toSeconds(), java.sql.Types.INTEGER);
                    ps.setObject(2, now());
                    ps.setString(3, mid);
                });
    }

    /** Refuses a replay window out of bounds or with a fraction of a second (a timestamp has whole seconds). */
    public static void checkReplayWindow(Duration window) {
        if (window.compareTo(MIN_REPLAY_WINDOW) < 0 || window.compareTo(MAX_REPLAY_WINDOW) > 0 || window.getNano() != 0) {
            throw new IllegalArgumentException("the replay window must be whole seconds from 1m to 1h (or off)");
        }
    }

    /**
     * Gives the merchant {@code newKey}; the old key stays valid for {@code grace} so that the
     * merchant can switch without failed requests. {@code false} when there is no such merchant.
     */
    public boolean rotateKey(String mid, String newKey, Duration grace) {
        if (!MerchantKeys.isValid(newKey)) {
            throw new IllegalArgumentException("key must be 8 to 64 printable ASCII characters without spaces");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        // prev_key_enc is assigned before key_enc: MariaDB applies SET items left to right, seeing
        // earlier assignments; H2 and PostgreSQL read the old row either way.
        return update(mid, "UPDATE merchants SET prev_key_enc = key_enc, key_enc = ?, prev_key_expires_at = ?, "
                + "version = version + 1, updated_at = ? WHERE mid = ?", ps -> {
                    ps.setString(1, cipher.encrypt(mid, newKey));
                    ps.setObject(2, LocalDateTime.ofInstant(clock.instant().plus(grace).truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
                    ps.setObject(3, now());
                    ps.setString(4, mid);
                });
    }

    /**
     * Sets the merchant's own rate limit; {@code null}s return it to the configured default.
     * {@code false} when there is no such merchant.
     */
    public boolean setRateLimit(String mid, Integer perSecond, Integer burst) {
        if ((perSecond == null) != (burst == null) || perSecond != null && (perSecond < 1 || burst < 1)) {
            throw new IllegalArgumentException("give both --per-second and --burst (each at least 1), or --default");
        }
        return update(mid, "UPDATE merchants SET rate_per_second = ?, rate_burst = ?, version = version + 1, "
                + "updated_at = ? WHERE mid = ?", ps -> {
                    ps.setObject(1, perSecond, java.sql.Types.INTEGER);
                    ps.setObject(2, burst, java.sql.Types.INTEGER);
                    ps.setObject(3, now());
                    ps.setString(4, mid);
                });
    }

    /**
     * Restricts the merchant's requests to these address blocks; an empty list lifts the
     * restriction. {@code false} when there is no such merchant.
     */
    public boolean setAllowList(String mid, List<CidrRange> ranges) {
        String text = String.join(",", ranges.stream().map(CidrRange::toString).toList());
        if (text.length() > 2000) {
            throw new IllegalArgumentException("the allow-list is longer than 2000 characters; use wider blocks");
        }
        return update(mid, "UPDATE merchants SET allow_list = ?, version = version + 1, updated_at = ? WHERE mid = ?",
                ps -> {
                    ps.setString(1, text.isEmpty() ? null : text);
                    ps.setObject(2, now());
                    ps.setString(3, mid);
                });
    }

    /** Whether there is a merchant {@code mid} (enabled or not). */
    public boolean exists(String mid) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT 1 FROM merchants WHERE mid = ?")) {
            ps.setString(1, mid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw database.failure("cannot read merchant " + mid + ": " + e.getMessage(), e);
        }
    }

    /** Every merchant, ordered by mid, without keys. */
    public List<MerchantSummary> list() {
        List<MerchantSummary> out = new ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT mid, name, enabled, created_at, notify_url FROM merchants"
                     + " ORDER BY mid");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new MerchantSummary(rs.getString(1).trim(), rs.getString(2), rs.getBoolean(3),
                        rs.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getString(5)));
            }
            return out;
        } catch (SQLException e) {
            throw database.failure("cannot list merchants: " + e.getMessage(), e);
        }
    }

    /**
     * Every merchant with its keys decrypted, for the in-memory directory.
     *
     * @throws KeyCipherException when a key cannot be decrypted (wrong master key)
     */
    public List<Merchant> loadAll() {
        List<Merchant> out = new ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT mid, name, enabled, key_enc, prev_key_enc, "
                     + "prev_key_expires_at, rate_per_second, rate_burst, allow_list, debug, replay_window_seconds FROM merchants");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String mid = rs.getString(1).trim();
                String prevEnc = rs.getString(5);
                LocalDateTime prevExpires = rs.getObject(6, LocalDateTime.class);
                out.add(new Merchant(mid, rs.getString(2), rs.getBoolean(3), cipher.decrypt(mid, rs.getString(4)),
                        prevEnc == null ? null : cipher.decrypt(mid, prevEnc),
                        prevExpires == null ? null : prevExpires.toInstant(ZoneOffset.UTC),
                        new AccessPolicy(rs.getObject(7, Integer.class), rs.getObject(8, Integer.class),
                                CidrRange.parseList(rs.getString(9))), rs.getBoolean(10), replayWindow(rs.getObject(11, Integer.class))));
            }
            return out;
        } catch (SQLException e) {
            throw database.failure("cannot load merchants: " + e.getMessage(), e);
        }
    }

    private static Duration replayWindow(Integer seconds) {
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    /**
     * A value that changes whenever any merchant is added or changed: the row count and the sum
     * of versions. Cheap enough to poll every few seconds.
     */
    public String changeStamp() {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM merchants");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getLong(2);
        } catch (SQLException e) {
            throw database.failure("cannot read the merchant change stamp: " + e.getMessage(), e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String mid, String sql, Binder binder) {
        boolean changed;
        try (Connection c = database.connection(); PreparedStatement ps = database.prepare(c, sql)) {
            binder.bind(ps);
            changed = ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw database.failure("cannot change merchant " + mid + ": " + e.getMessage(), e);
        }
        if (changed) {
            changes.changed(mid); // autocommit: the row is committed once executeUpdate returned
        }
        return changed;
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    }
}
