package io.leopard.server.channel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Small stand-ins for the channel adapters, for the tests of credentials administration: a
 * {@code sandbox} that takes {@code {}} or {@code {"scenario": …}}, a {@code wechat} that needs
 * {@code appid}, {@code mchId} and {@code key}, and a {@code broken} one whose check fails as a buggy
 * adapter would, quoting what it was given. None of them can be asked about an order.
 */
public final class TestChannels {
    private TestChannels() {
    }

    /** The three stand-ins. */
    public static Channels create() {
        return new Channels(List.of(new Sandbox(), new Wechat(), new Broken()));
    }

    private abstract static class Unusable implements Channel {
        @Override
        public ChannelReply query(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
            throw new ChannelException(ChannelException.Failure.UNREACHABLE, "a test stand-in");
        }

        @Override
        public CancelReply cancel(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
            throw new ChannelException(ChannelException.Failure.UNREACHABLE, "a test stand-in");
        }
    }

    static final class Sandbox extends Unusable {
        @Override
        public String name() {
            return Channels.SANDBOX;
        }

        @Override
        public Map<String, String> checkCredentials(Map<String, String> fields) {
            for (String name : fields.keySet()) {
                if (!name.equals("scenario")) {
                    throw new InvalidCredentialsException(name, "the sandbox takes no " + name);
                }
            }
            return fields;
        }
    }

    static final class Wechat extends Unusable {
        @Override
        public String name() {
            return "wechat";
        }

        @Override
        public Map<String, String> checkCredentials(Map<String, String> fields) {
            for (String required : List.of("appid", "mchId", "key")) {
                if (fields.get(required) == null || fields.get(required).isEmpty()) {
                    throw new InvalidCredentialsException(required, required + " is required");
                }
            }
            if (fields.get("key").length() != 32) {
                throw new InvalidCredentialsException("key", "the API key must be 32 characters");
            }
            String signType = fields.get("signType");
            if (signType != null && !signType.equals("MD5") && !signType.equals("HMAC-SHA256")) {
                throw new InvalidCredentialsException("signType", "signType must be MD5 or HMAC-SHA256");
            }
            if (fields.containsKey("certP12") && !fields.containsKey("certPassword")) {
                throw new InvalidCredentialsException("certPassword", "certPassword is required with certP12");
            }
            if ("leaky".equals(fields.get("appid"))) {
                // a careless adapter: its message quotes the secret
                throw new InvalidCredentialsException("key", "the key " + fields.get("key") + " is refused");
            }
            return new TreeMap<>(fields);
        }
    }

    static final class Broken extends Unusable {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public Map<String, String> checkCredentials(Map<String, String> fields) {
            throw new IllegalStateException("cannot parse " + fields);
        }
    }
}
