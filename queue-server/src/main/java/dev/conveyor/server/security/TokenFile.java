package dev.conveyor.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call, read from a text file that is re-read when it changes, without a restart. One
 * identity per line, three fields separated by blanks; {@code #} starts a comment:
 *
 * <pre>
 * # name          roles                 credential
 * provisioning    submitter             sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * alice           operator,technician   sha256:…
 * worker-7        operator              cert
 * </pre>
 *
 * <p>{@code sha256:<hex>} is the SHA-256 of a bearer token (the server never sees the token at
 * rest: {@code printf %s "$TOKEN" | sha256sum}); a name may have several token lines, so a token
 * is rotated by adding the new one before removing the old. {@code cert} gives roles to a client
 * certificate whose subject CN is the name (mutual TLS). Roles: submitter, technician, operator,
 * admin, comma-separated.
 *
 * <p>The file's modification time and size are checked at most once per check interval, on
 * lookup; a changed file is parsed whole, and a file that does not parse is refused with a log
 * line that says why (never its content), the last good version staying in force.
 */
public final class TokenFile {
    private static final Logger log = LoggerFactory.getLogger(TokenFile.class);
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);

    private record Token(byte[] hash, Identity identity) {
    }

    /** One parse of the file, and the file's state it was read from. */
    private record Entries(List<Token> tokens, List<Identity> certificates, Instant modified, long size) {
    }

    private final Path path;
    private final Duration checkInterval;
    private final Clock clock;
    /** Replaced whole by the thread that reloads; read by every call. */
    private volatile Entries entries;
    private volatile Instant nextCheck;

    private TokenFile(Path path, Duration checkInterval, Clock clock, Entries entries) {
        this.path = path;
        this.checkInterval = checkInterval;
        this.clock = clock;
        this.entries = entries;
        this.nextCheck = clock.instant().plus(checkInterval);
    }

    /** Reads the file; a missing or bad file is an error here, since there is no good version yet. */
    public static TokenFile open(Path path, Duration checkInterval, Clock clock) throws IOException {
        if (checkInterval == null || checkInterval.isNegative()) {
            throw new IllegalArgumentException("check interval must not be negative");
        }
        return new TokenFile(path, checkInterval, clock, read(path));
    }

    public static TokenFile open(Path path) throws IOException {
        return open(path, DEFAULT_CHECK_INTERVAL, Clock.systemUTC());
    }

    /** The identity whose token this is. Every entry is compared, in constant time each. */
    public Optional<Identity> byToken(String token) {
        byte[] hash = sha256(token);
        Identity found = null;
        for (Token candidate : current().tokens()) {
            if (MessageDigest.isEqual(candidate.hash(), hash) && found == null) {
                found = candidate.identity();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The identity a client certificate with this subject CN maps to. */
    public Optional<Identity> byCertificate(String commonName) {
        return current().certificates().stream().filter(i -> i.name().equals(commonName)).findFirst();
    }

    /** The hex SHA-256 of a token, as a token file line holds it after {@code sha256:}. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private Entries current() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return entries;
        }
        synchronized (this) {
            if (now.isBefore(nextCheck)) {
                return entries;
            }
            nextCheck = now.plus(checkInterval);
            Entries last = entries;
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                if (attributes.lastModifiedTime().toInstant().equals(last.modified()) && attributes.size() == last.size()) {
                    return last;
                }
                entries = read(path);
                log.info("token file {} reloaded: {} token(s), {} certificate identit(ies)", path,
                        entries.tokens().size(), entries.certificates().size());
            } catch (IOException | IllegalArgumentException e) {
                log.warn("token file {} not reloaded, the previous version stays in force: {}", path, e.getMessage());
            }
            return entries;
        }
    }

    private static Entries read(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<Token> tokens = new ArrayList<>();
        List<Identity> certificates = new ArrayList<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment < 0 ? line : line.substring(0, comment)).strip();
            if (content.isEmpty()) {
                continue;
            }
            try {
                String[] fields = content.split("\\s+");
                if (fields.length != 3) {
                    throw new IllegalArgumentException("expected 'name roles credential', found " + fields.length
                            + " field(s)");
                }
                Set<Role> roles = roles(fields[1]);
                if ("cert".equals(fields[2])) {
                    certificates.add(new Identity(fields[0], roles, Identity.Via.CLIENT_CERTIFICATE));
                } else if (HASH.matcher(fields[2]).matches()) {
                    if (!hashes.add(fields[2])) {
                        throw new IllegalArgumentException("the same token hash appears twice");
                    }
                    tokens.add(new Token(HexFormat.of().parseHex(fields[2].substring("sha256:".length())),
                            new Identity(fields[0], roles, Identity.Via.BEARER_TOKEN)));
                } else {
                    // The field may be a token pasted by mistake: never repeat it.
                    throw new IllegalArgumentException("the credential must be 'sha256:' and 64 lower-case hex "
                            + "digits, or 'cert'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Entries(List.copyOf(tokens), List.copyOf(certificates), attributes.lastModifiedTime().toInstant(),
                attributes.size());
    }

    private static Set<Role> roles(String field) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String label : field.split(",")) {
            roles.add(Role.parse(label));
        }
        return roles;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
