package io.leopard.server.merchant;

import io.leopard.server.problem.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 key that encrypts merchant keys at rest. It comes from {@code master-key} (or
 * {@code LEOPARD_MASTER_KEY}), else from the master key file. Only with the embedded database is a
 * missing key generated (so the demo needs no setup); a real database without a key is a
 * configuration error, since a key generated on one host would make the data unreadable on the next.
 * The key is never logged or shown: {@link #toString()} gives only its id.
 */
public final class MasterKey {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    static final int LENGTH = 32;

    private final byte[] bytes;
    private final String id;

    private MasterKey(byte[] bytes) {
        this.bytes = bytes.clone();
        this.id = idOf(bytes);
    }

    /** The master key the settings name, creating the key file for the embedded database. */
    public static MasterKey resolve(KeySettings settings) {
        String direct = settings.masterKey();
        if (direct != null && !direct.isBlank()) {
            return new MasterKey(decode(direct.trim(), "master-key (or LEOPARD_MASTER_KEY)"));
        }
        Path file = settings.masterKeyFile();
        if (Files.exists(file)) {
            return read(file);
        }
        if (!settings.embeddedDatabase()) {
            throw new ConfigException("no master key: set LEOPARD_MASTER_KEY (base64 of 32 random bytes, e.g. from "
                    + "`openssl rand -base64 32`) or master-key-file; " + file + " does not exist");
        }
        return create(file);
    }

    /**
     * The previous master key during a rotation ({@code master-key-previous}), or {@code null} when
     * none is configured. It only ever decrypts.
     */
    public static MasterKey previous(KeySettings settings) {
        String text = settings.masterKeyPrevious();
        return text == null || text.isBlank() ? null
                : new MasterKey(decode(text.trim(), "master-key-previous (or LEOPARD_MASTER_KEY_PREVIOUS)"));
    }

    /** Base64 of 32 fresh random bytes: a new master key as {@code master-key} expects it. */
    public static String generate() {
        byte[] b = new byte[LENGTH];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** A key from its base64 text (tests and tools). */
    public static MasterKey of(String base64) {
        return new MasterKey(decode(base64, "master key"));
    }

    /** A fresh random key (tests). */
    public static MasterKey random() {
        byte[] b = new byte[LENGTH];
        new SecureRandom().nextBytes(b);
        return new MasterKey(b);
    }

    private static MasterKey read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return new MasterKey(decode(text, "master key file " + file));
        } catch (IOException e) {
            throw new ConfigException("cannot read master key file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes a new random key to {@code file}, readable by the owner only from the moment it exists
     * (the permissions are set by the create call itself, so there is no window where others can
     * read it). If another process created it first, that key is used.
     */
    static MasterKey create(Path file) {
        byte[] b = new byte[LENGTH];
        new SecureRandom().nextBytes(b);
        if (!write(file, b)) {
            return read(file);
        }
        LOG.warn("generated a new master key in {} (id {}). Back this file up: without it the merchant keys "
                + "cannot be decrypted. In production set LEOPARD_MASTER_KEY or master-key-file explicitly.",
                file, idOf(b));
        return new MasterKey(b);
    }

    /**
     * Writes a new random key to {@code file}, which must not exist yet, without {@link #create}'s
     * warning: for the demo, whose merchant keys are published anyway and whose key file only lets
     * its kept database be served again.
     */
    public static void createFile(Path file) {
        byte[] b = new byte[LENGTH];
        new SecureRandom().nextBytes(b);
        if (!write(file, b)) {
            throw new ConfigException("cannot create master key file " + file + ": it already exists");
        }
    }

    /** Writes {@code key} to a new owner-only {@code file}; false when the file exists already. */
    private static boolean write(Path file, byte[] key) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system: its default access rules apply
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new ConfigException("cannot create master key file " + file + ": " + e.getMessage());
        }
    }

    private static byte[] decode(String base64, String source) {
        byte[] b;
        try {
            b = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + " must be base64 of " + LENGTH + " bytes; it is not valid base64");
        }
        if (b.length != LENGTH) {
            throw new ConfigException(source + " must be base64 of " + LENGTH + " bytes; it decodes to " + b.length);
        }
        return b;
    }

    /** The first 8 hex digits of the key's SHA-256: tells keys apart without revealing them. */
    public String id() {
        return id;
    }

    SecretKey secretKey() {
        return new SecretKeySpec(bytes, "AES");
    }

    private static String idOf(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + id + "]";
    }
}
