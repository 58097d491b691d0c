package io.leopard.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The internal-listener token {@code leopard demo} generated, kept in its folder
 * ({@code internal.token}, readable by its owner only) while it runs, so that admin commands on
 * that folder can go through the listener without the token being typed. Removed when the demo
 * stops. A token from the configuration is never written anywhere.
 */
final class InternalTokenFile {
    static final String NAME = "internal.token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private InternalTokenFile() {
    }

    /** A new token: 32 random bytes, URL-safe Base64 (43 characters). */
    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes {@code token} into {@code folder}, owner-only from its first byte; returns the file. */
    static Path write(Path folder, String token) {
        Path file = folder.resolve(NAME);
        try {
            Path partial = Files.createTempFile(folder, NAME, ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, token + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The token in {@code folder}'s file, if there is one. */
    static Optional<String> read(Path folder) {
        try {
            String token = Files.readString(folder.resolve(NAME), StandardCharsets.UTF_8).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // unreadable (another user's): as if there were none
        }
    }

    static void delete(Path folder) {
        try {
            Files.deleteIfExists(folder.resolve(NAME));
        } catch (IOException e) {
            // a stale token of a stopped demo opens nothing
        }
    }
}
