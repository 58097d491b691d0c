package io.leopard.server.merchant;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the master key comes from and how often the merchant cache looks for changes. The keys are
 * never shown ({@link #toString()}).
 *
 * @param masterKey         base64 of 32 bytes when given directly, else {@code null} or blank
 * @param masterKeyFile     resolved: {@code master-key-file}, by default {@code master.key} in the data directory
 * @param masterKeyPrevious the previous master key during a rotation (decrypts only), else {@code null} or blank
 * @param merchantRefresh   how often the merchant cache checks the database for changes made by the CLI
 * @param embeddedDatabase  whether the database is the embedded one: only then is a missing key file created
 */
public record KeySettings(String masterKey, Path masterKeyFile, String masterKeyPrevious, Duration merchantRefresh,
                          boolean embeddedDatabase) {

    @Override
    public String toString() {
        return "KeySettings[masterKey=" + shown(masterKey) + ", masterKeyFile=" + masterKeyFile + ", masterKeyPrevious="
                + shown(masterKeyPrevious) + ", merchantRefresh=" + merchantRefresh + ", embeddedDatabase=" + embeddedDatabase + "]";
    }

    private static String shown(String key) {
        return key == null || key.isBlank() ? "(unset)" : "********";
    }
}
