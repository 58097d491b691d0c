package io.leopard.server.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block such as {@code 203.0.113.0/24} or {@code 2001:db8::/32}; a bare
 * address is a block of one. Parsing never resolves a host name: only address literals pass.
 */
public record CidrRange(byte[] network, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Parses {@code address[/prefix]}; {@link IllegalArgumentException} with a clear message otherwise. */
    public static CidrRange parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        InetAddress address = literal(slash < 0 ? s : s.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4/IPv6 address or CIDR block");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length outside 0-" + bits);
            }
        }
        return new CidrRange(mask(address.getAddress(), prefix), prefix);
    }

    /** Parses a comma-separated list; an empty text is an empty list. */
    public static List<CidrRange> parseList(String text) {
        List<CidrRange> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The address an IP literal names, or {@code null} when {@code text} is not a literal (so no
     * DNS lookup ever happens, whatever a client puts into a header).
     */
    public static InetAddress literal(String text) {
        String s = text.trim();
        boolean v4 = IPV4.matcher(s).matches();
        if (!v4 && !(s.indexOf(':') >= 0 && IPV6.matcher(s).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        byte[] masked = mask(a, prefixLength);
        return Arrays.equals(masked, network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return out;
    }

    @Override
    public String toString() {
        try {
            String a = InetAddress.getByAddress(network).getHostAddress();
            return a + "/" + prefixLength;
        } catch (UnknownHostException e) {
            return "?/" + prefixLength;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrRange c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }
}
