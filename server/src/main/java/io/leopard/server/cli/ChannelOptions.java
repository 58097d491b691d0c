package io.leopard.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code leopard merchant set-channel} as the credential fields of
 * {@code PUT /internal/v1/merchants/{mid}/channels/{name}}: which option is for which channel, the
 * ones a channel needs, secrets read from files. Messages name options and files, never a value.
 */
final class ChannelOptions {
    /** The options of each channel the command knows, and of those the ones it cannot do without. */
    private record Spec(Set<String> options, List<String> required) {
    }

    private static final Map<String, Spec> CHANNELS = Map.of(
            "wechat", new Spec(Set.of("--appid", "--mch-id", "--sub-mch-id", "--key", "--key-file", "--sign-type", "--cert",
                    "--cert-password", "--cert-password-file"), List.of("--appid", "--mch-id", "--key")),
            "alipay", new Spec(Set.of("--app-id", "--private-key", "--alipay-public-key"),
                    List.of("--app-id", "--private-key", "--alipay-public-key")),
            "sandbox", new Spec(Set.of("--scenario"), List.of()));

    /** Option given → (field, value), in the order given. */
    private final Map<String, String[]> given = new LinkedHashMap<>();

    /** {@code value} as it is, when given. */
    ChannelOptions text(String option, String field, String value) {
        if (value != null) {
            given.put(option, new String[] {field, value});
        }
        return this;
    }

    /** A secret given as {@code inline} or read from {@code file} (its last line break dropped); not both. */
    ChannelOptions secret(String option, String fileOption, String field, String inline, Path file) {
        if (inline != null && file != null) {
            throw new IllegalArgumentException("give " + option + " or " + fileOption + ", not both");
        }
        if (inline != null) {
            given.put(option, new String[] {field, inline});
        } else if (file != null) {
            String text = text(fileOption, file);
            given.put(option, new String[] {field, text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text});
        }
        return this;
    }

    /** A text file's content (a PEM key), when given. */
    ChannelOptions file(String option, String field, Path file) {
        if (file != null) {
            given.put(option, new String[] {field, text(option, file)});
        }
        return this;
    }

    /** A binary file (a PKCS#12 certificate) as base64, when given. */
    ChannelOptions certificate(String option, String field, Path file) {
        if (file != null) {
            given.put(option, new String[] {field, Base64.getEncoder().encodeToString(read(option, file))});
        }
        return this;
    }

    /**
     * The fields for {@code channel}; refuses an option of another channel and a missing one the
     * channel needs (the channel itself checks the values).
     */
    Map<String, String> forChannel(String channel) {
        Spec spec = CHANNELS.get(channel);
        if (spec == null) {
            throw new IllegalArgumentException("--channel must be wechat, alipay or sandbox");
        }
        for (String option : given.keySet()) {
            if (!spec.options().contains(option)) {
                String owner = CHANNELS.entrySet().stream().filter(e -> e.getValue().options().contains(option))
                        .map(Map.Entry::getKey).findFirst().orElse("another channel");
                throw new IllegalArgumentException(option + " is for --channel " + owner + ", not " + channel);
            }
        }
        for (String option : spec.required()) {
            if (!given.containsKey(option)) {
                throw new IllegalArgumentException("--channel " + channel + " needs " + option
                        + ("--key".equals(option) ? " (or --key-file)" : ""));
            }
        }
        if (given.containsKey("--cert-password") && !given.containsKey("--cert")) {
            throw new IllegalArgumentException("--cert-password is the password of --cert: give --cert too");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        given.values().forEach(fv -> fields.put(fv[0], fv[1]));
        return fields;
    }

    private static String text(String option, Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(read(option, file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(option + " " + file + " is not a text file (UTF-8)");
        }
    }

    private static byte[] read(String option, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MerchantCommand.MAX_CREDENTIAL_FILE + 1);
            if (bytes.length > MerchantCommand.MAX_CREDENTIAL_FILE) {
                throw new IllegalArgumentException(option + " " + file + " is larger than "
                        + MerchantCommand.MAX_CREDENTIAL_FILE / 1024 + " KiB: is it the right file?");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
