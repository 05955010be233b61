package dev.conveyor.rack;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The rules of provisioning input, shared by a profile's {@link Provisioning} block and a
 * provisioning job's request: image URIs, BIOS attribute names and values.
 */
public final class ProvisioningRules {
    /** Components whose target version a profile's firmware baseline gives. */
    public static final Set<String> PROFILE_COMPONENTS = Set.of("bios", "bmc");
    public static final int MAX_ATTRIBUTES = 256;
    /** The longest a provisioning step may wait for a task or a reset: 4 hours. */
    public static final int MAX_TIMEOUT_SECONDS = 4 * 3600;
    private static final Set<String> IMAGE_SCHEMES = Set.of("http", "https", "ftp", "sftp", "tftp", "nfs", "cifs", "scp");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Pattern VALUE = Pattern.compile("[^\\p{Cntrl}]{0,256}");

    private ProvisioningRules() {
    }

    /**
     * Why an image URI is refused, or empty when it is fine. User information is refused: it would
     * end up in job events and logs (the BMC's own credentials for the image server are used instead).
     */
    public static Optional<String> imageUriProblem(String text) {
        String rule = "must be an absolute URI with a host, scheme one of " + IMAGE_SCHEMES.stream().sorted().toList()
                + ", no user information, at most 1024 characters";
        if (text == null || text.length() > 1024) {
            return Optional.of(rule);
        }
        try {
            URI uri = new URI(text);
            boolean ok = uri.isAbsolute() && uri.getHost() != null && uri.getUserInfo() == null
                    && IMAGE_SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT));
            return ok ? Optional.empty() : Optional.of(rule);
        } catch (URISyntaxException e) {
            return Optional.of(rule);
        }
    }

    /** Why a BIOS attribute is refused, or empty. */
    public static Optional<String> attributeProblem(String name, String value) {
        if (name == null || !ATTRIBUTE.matcher(name).matches()) {
            return Optional.of("attribute names are 1-64 letters, digits or '_', starting with a letter");
        }
        if (value == null || !VALUE.matcher(value).matches()) {
            return Optional.of("must be a value of at most 256 characters without control characters");
        }
        return Optional.empty();
    }

    /** Reports every problem of a profile's provisioning block as (path, problem). */
    static void check(String path, Provisioning provisioning, BiConsumer<String, String> problem) {
        provisioning.firmwareImages().forEach((component, uri) -> {
            if (!PROFILE_COMPONENTS.contains(component)) {
                problem.accept(path + ".firmwareImages." + component, "unknown component; known: "
                        + PROFILE_COMPONENTS.stream().sorted().toList() + " (their target is the profile's firmware baseline)");
            }
            imageUriProblem(uri).ifPresent(p -> problem.accept(path + ".firmwareImages." + component, p));
        });
        if (provisioning.biosAttributes().size() > MAX_ATTRIBUTES) {
            problem.accept(path + ".biosAttributes", "at most " + MAX_ATTRIBUTES + " attributes");
        }
        provisioning.biosAttributes().forEach((name, value) -> attributeProblem(name, value)
                .ifPresent(p -> problem.accept(path + ".biosAttributes." + name, p)));
        timeout(path + ".taskTimeoutSeconds", provisioning.taskTimeoutSeconds(), problem);
        timeout(path + ".resetTimeoutSeconds", provisioning.resetTimeoutSeconds(), problem);
        if (provisioning.firmwareImages().isEmpty() && provisioning.biosAttributes().isEmpty() && !provisioning.pxe()) {
            problem.accept(path, "asks for nothing: give firmwareImages, biosAttributes or pxeBoot: true");
        }
    }

    private static void timeout(String path, Integer seconds, BiConsumer<String, String> problem) {
        if (seconds != null && (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS)) {
            problem.accept(path, "must be between 1 and " + MAX_TIMEOUT_SECONDS + ", got " + seconds);
        }
    }
}
