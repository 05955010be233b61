package dev.conveyor.rack;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device address as a manifest writes it: {@code host} or {@code host:port}, where host is an
 * IPv4 address, a DNS name, or an IPv6 address in brackets ({@code [fd00::5]:8443}).
 */
public record HostAddress(String host, OptionalInt port) {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern WITH_PORT = Pattern.compile("(\\[[^]]+]|[^:\\[\\]]+)(?::(\\d{1,5}))?");

    public HostAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
    }

    /** The address, or empty when it is malformed. */
    public static Optional<HostAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = WITH_PORT.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String host = matcher.group(1);
        boolean bracketed = host.startsWith("[");
        boolean validHost = bracketed
                ? IPV6.matcher(host.substring(1, host.length() - 1)).matches() && host.contains(":")
                : isIpv4(host) || (isHostname(host) && !looksNumeric(host));
        if (!validHost) {
            return Optional.empty();
        }
        if (matcher.group(2) == null) {
            return Optional.of(new HostAddress(host.toLowerCase(Locale.ROOT), OptionalInt.empty()));
        }
        int port = Integer.parseInt(matcher.group(2));
        return port >= 1 && port <= 65535
                ? Optional.of(new HostAddress(host.toLowerCase(Locale.ROOT), OptionalInt.of(port)))
                : Optional.empty();
    }

    static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    static boolean isHostname(String text) {
        return HOSTNAME.matcher(text).matches();
    }

    /** "10.0.0.300" is a typo for an address, not a DNS name: names have a non-numeric label. */
    private static boolean looksNumeric(String host) {
        return host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    /** {@code https://host[:port]}: the base URL of a BMC or switch at this address. */
    public URI httpsUri() {
        return URI.create("https://" + this);
    }

    @Override
    public String toString() {
        return port.isPresent() ? host + ":" + port.getAsInt() : host;
    }
}
