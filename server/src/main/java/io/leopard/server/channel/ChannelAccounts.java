package io.leopard.server.channel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.KeyCipherException;
import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merchants' channel credentials, stored encrypted under the master key (table
 * {@code merchant_channels}, one JSON object per merchant and channel, bound to
 * {@code channel:<mid>/<name>} so a row copied to another merchant or channel does not decrypt).
 * Nothing here returns a credential to a caller outside the server: the internal API and the CLI
 * see channel names only.
 *
 * <p>Which channel an order syncs through: the merchant's {@code sandbox} account when it has one
 * (a sandbox merchant tries everything there), else the account named by the order's {@code type}.
 * Lookups are cached for {@link #CACHE_FOR}, so a credential changed by another node applies within
 * that; a change on this node applies at once.
 */
public final class ChannelAccounts {
    /** How long a lookup is reused: short, so credentials set on another node apply soon. */
    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ChannelAccounts.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() { };
    /** A value this long that a refusal's message repeats makes the message be replaced. */
    private static final int MIN_SCRUBBED = 6;

    private final Database database;
    private final KeyCipher cipher;
    private final Channels channels;
    private final Clock clock;
    private final Cache<String, Map<String, ChannelCredentials>> cache;

    /** A merchant's account at a channel: the adapter and the credentials to call it with. */
    public record Account(Channel channel, ChannelCredentials credentials) {
    }

    public ChannelAccounts(Database database, KeyCipher cipher, Channels channels, Clock clock) {
        this.database = database;
        this.cipher = cipher;
        this.channels = channels;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().expireAfterWrite(CACHE_FOR).maximumSize(100_000).build();
    }

    public Channels channels() {
        return channels;
    }

    /**
     * Stores (or replaces) the merchant's credentials for {@code channelName}, as the channel
     * checked and normalized them.
     *
     * @return the names of the fields stored (never a value), sorted
     * @throws IllegalArgumentException    when there is no such channel
     * @throws InvalidCredentialsException when the channel refuses the fields; it names the field,
     *                                     and its message holds no value given
     */
    public java.util.SortedSet<String> set(String mid, String channelName, Map<String, String> fields) {
        Channel channel = channels.find(channelName)
                .orElseThrow(() -> new IllegalArgumentException("no channel " + channelName + "; channels are " + channels.names()));
        Map<String, String> checked = check(channel, mid, fields);
        String sealed;
        try {
            sealed = cipher.encrypt(aad(mid, channelName), JSON.writeValueAsString(checked));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("credentials cannot be written as JSON", e);
        }
        LocalDateTime now = LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
        try (Connection c = database.connection()) {
            int updated;
            try (PreparedStatement ps = database.prepare(c,
                    "UPDATE merchant_channels SET secret_enc = ?, updated_at = ? WHERE mid = ? AND channel = ?")) {
                ps.setString(1, sealed);
                ps.setObject(2, now);
                ps.setString(3, mid);
                ps.setString(4, channelName);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = database.prepare(c,
                        "INSERT INTO merchant_channels (mid, channel, secret_enc, updated_at) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, mid);
                    ps.setString(2, channelName);
                    ps.setString(3, sealed);
                    ps.setObject(4, now);
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw database.failure("cannot store the " + channelName + " credentials of merchant " + mid + ": " + e.getMessage(), e);
        }
        cache.invalidate(mid);
        java.util.SortedSet<String> names = new java.util.TreeSet<>(checked.keySet());
        LOG.info("merchant {} channel {} credentials set (fields {})", mid, channelName, names);
        return names;
    }

    /**
     * The channel's check of {@code fields}, held to its contract: a refusal names its field and its
     * message repeats no value given (else it is replaced by one that does not), and an adapter that
     * fails otherwise refuses the credentials rather than failing the request.
     */
    private static Map<String, String> check(Channel channel, String mid, Map<String, String> fields) {
        Map<String, String> checked;
        try {
            checked = channel.checkCredentials(Map.copyOf(fields));
        } catch (InvalidCredentialsException e) {
            String field = e.field() == null ? "credentials" : e.field();
            String message = e.getMessage() == null || e.getMessage().isBlank() ? field + " is not valid" : e.getMessage();
            for (String value : fields.values()) {
                if (value.length() >= MIN_SCRUBBED && message.contains(value)) {
                    message = field + " is not valid";
                }
            }
            throw new InvalidCredentialsException(field, channel.name() + " credentials: "
                    + (message.contains(field) ? message : field + ": " + message));
        } catch (RuntimeException e) {
            // only the exception's class: its message could quote what it was given
            LOG.warn("merchant {} channel {}: the adapter failed checking the credentials ({}), they are refused",
                    mid, channel.name(), e.getClass().getName());
            throw new InvalidCredentialsException("credentials", channel.name() + " credentials: the channel cannot check them");
        }
        if (checked == null || checked.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            LOG.warn("merchant {} channel {}: the adapter's check answered no credentials, they are refused", mid, channel.name());
            throw new InvalidCredentialsException("credentials", channel.name() + " credentials: the channel cannot check them");
        }
        return checked;
    }

    /**
     * The channels each merchant has credentials stored for, by mid (names only, nothing decrypted),
     * for listings.
     */
    public Map<String, List<String>> namesByMerchant() {
        Map<String, List<String>> out = new HashMap<>();
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT mid, channel FROM merchant_channels ORDER BY mid, channel");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1).trim(), k -> new ArrayList<>()).add(rs.getString(2));
            }
        } catch (SQLException e) {
            throw database.failure("cannot list the channel accounts: " + e.getMessage(), e);
        }
        return out;
    }

    /** Removes the merchant's account at {@code channelName}; whether there was one. */
    public boolean remove(String mid, String channelName) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "DELETE FROM merchant_channels WHERE mid = ? AND channel = ?")) {
            ps.setString(1, mid);
            ps.setString(2, channelName);
            boolean removed = ps.executeUpdate() > 0;
            cache.invalidate(mid);
            return removed;
        } catch (SQLException e) {
            throw database.failure("cannot remove the " + channelName + " account of merchant " + mid + ": " + e.getMessage(), e);
        }
    }

    /** Whether the merchant has an account at any channel (its pending orders are then swept). */
    public boolean hasAny(String mid) {
        return !accounts(mid).isEmpty();
    }

    /** The names of the channels the merchant has credentials for (never the credentials). */
    public List<String> channelsOf(String mid) {
        return List.copyOf(accounts(mid).keySet());
    }

    /**
     * The account an order of {@code type} of merchant {@code mid} syncs through: the sandbox when
     * the merchant has one, else the channel named {@code type}; empty when neither is set up.
     */
    public Optional<Account> forOrder(String mid, String type) {
        Map<String, ChannelCredentials> mine = accounts(mid);
        if (mine.isEmpty()) {
            return Optional.empty();
        }
        String name = mine.containsKey(Channels.SANDBOX) ? Channels.SANDBOX : type;
        ChannelCredentials credentials = mine.get(name);
        if (credentials == null) {
            return Optional.empty();
        }
        return channels.find(name).map(channel -> new Account(channel, credentials));
    }

    private Map<String, ChannelCredentials> accounts(String mid) {
        return cache.get(mid, this::load);
    }

    private Map<String, ChannelCredentials> load(String mid) {
        Map<String, ChannelCredentials> found = new HashMap<>();
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT channel, secret_enc FROM merchant_channels WHERE mid = ?")) {
            ps.setString(1, mid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    try {
                        Map<String, String> fields = JSON.readValue(cipher.decrypt(aad(mid, name), rs.getString(2)), FIELDS);
                        found.put(name, new ChannelCredentials(name, fields));
                    } catch (KeyCipherException | JsonProcessingException e) {
                        // an account that cannot be read is as good as none: its orders keep their stored state
                        LOG.error("merchant {} channel {} credentials cannot be read, the channel is not used: {}",
                                mid, name, e instanceof KeyCipherException ? e.getMessage() : "not a JSON object");
                    }
                }
            }
        } catch (SQLException e) {
            throw database.failure("cannot read the channel accounts of merchant " + mid + ": " + e.getMessage(), e);
        }
        return Map.copyOf(found);
    }

    /**
     * What the credentials are bound to: never the same text as a merchant key's ({@code mid}).
     * The master key rotation re-encrypts each row under it.
     */
    public static String aad(String mid, String channel) {
        return "channel:" + mid + "/" + channel;
    }

    /** Every stored row, for the master key rotation: (mid, channel, stored form). */
    public record Sealed(String mid, String channel, String secretEnc) {
    }

    /** All stored rows, locked for update in {@code c}'s transaction. */
    public static List<Sealed> lockAll(Database database, Connection c) throws SQLException {
        List<Sealed> rows = new ArrayList<>();
        try (PreparedStatement ps = database.prepare(c,
                "SELECT mid, channel, secret_enc FROM merchant_channels ORDER BY mid, channel FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Sealed(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return rows;
    }
}
