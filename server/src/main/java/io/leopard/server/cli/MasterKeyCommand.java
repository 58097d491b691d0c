package io.leopard.server.cli;

import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.rotation.MasterKeyRotation;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code leopard master-key ...}: make a new master key, and move every stored merchant key and
 * channel account (a merchant's credentials at a payment channel) under the current one. Rotation without downtime: deploy with the new key as {@code master-key} and
 * the old one as {@code master-key-previous}, run {@code rotate}, then drop {@code master-key-previous}.
 */
@Command(name = "master-key", description = "Generate and rotate the master key that encrypts merchant keys.",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = {"  ${COMMAND-FULL-NAME} generate", "  ${COMMAND-FULL-NAME} rotate --help"})
public final class MasterKeyCommand {
    private final Supplier<LeopardConfig> configSupplier;

    @Spec
    private CommandSpec spec;

    /** The configuration comes from the top-level command (or a test). */
    public MasterKeyCommand(Supplier<LeopardConfig> configSupplier) {
        this.configSupplier = configSupplier;
    }

    @Command(name = "generate", description = "Print a new master key: base64 of 32 random bytes. Store it as a secret.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE,
            footer = "  export LEOPARD_MASTER_KEY=$(${COMMAND-FULL-NAME})")
    int generate() {
        out().println(MasterKey.generate());
        return 0;
    }

    @Command(name = "rotate", description = "Re-encrypt every merchant key and channel account under master-key, decrypting with master-key "
            + "or master-key-previous; all or nothing. Then master-key-previous can be dropped.",
            mixinStandardHelpOptions = true, footerHeading = CommandContext.EXAMPLE,
            footer = "  ${COMMAND-FULL-NAME} --config leopard.properties")
    int rotate() {
        try (AdminSession session = new AdminSession(configSupplier.get(), spec, EmbeddedDatabaseGuard.Need.EXISTING)) {
            KeyCipher cipher = session.cipher(); // a bad master key configuration fails before the database opens
            MasterKeyRotation.Result r = new MasterKeyRotation(session.database(), cipher).rotate();
            PrintWriter out = out();
            out.println("master key " + cipher.currentKeyId() + ": re-encrypted " + r.keysReencrypted()
                    + " merchant keys and " + r.previousKeysReencrypted() + " keys kept from merchant key rotations ("
                    + r.merchants() + " merchants; " + r.keysAlreadyCurrent() + " keys were already under it)");
            out.println("master key " + cipher.currentKeyId() + ": re-encrypted " + r.channelAccountsReencrypted()
                    + " channel accounts (of " + r.channelAccounts() + "; the others were already under it)");
            out.println("Every merchant key and channel account is now under master key " + cipher.currentKeyId()
                    + ": master-key-previous can be removed from the configuration.");
            return 0;
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
