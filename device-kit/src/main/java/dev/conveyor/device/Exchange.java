package dev.conveyor.device;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One request a device client made and what came of it, in the words a technician reads in a job's
 * event log: {@code GET https://10.0.0.5/redfish/v1/Systems/sys-1 → 200}. The note says what the
 * request asked for when the URL alone does not (the eAPI commands); it never holds credentials.
 *
 * @param status the HTTP status, or {@link #NO_RESPONSE} when the request failed before one arrived
 * @param failure why no response arrived ("timed out after PT2S", "connection refused"), else empty
 */
public record Exchange(String method, URI uri, String note, int status, String failure, Duration elapsed) {
    public static final int NO_RESPONSE = 0;

    public Exchange {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(elapsed, "elapsed");
        if ((status == NO_RESPONSE) == failure.isEmpty()) {
            throw new IllegalArgumentException("an exchange has either a status or a failure");
        }
    }

    public static Exchange responded(String method, URI uri, String note, int status, Duration elapsed) {
        return new Exchange(method, uri, note, status, "", elapsed);
    }

    public static Exchange failed(String method, URI uri, String note, String failure, Duration elapsed) {
        return new Exchange(method, uri, note, NO_RESPONSE, failure, elapsed);
    }

    public boolean responded() {
        return status != NO_RESPONSE;
    }

    /** {@code GET https://bmc/redfish/v1 → 200}, or {@code … → timed out after PT2S}. */
    public String summary() {
        String request = note.isEmpty() ? method + " " + uri : method + " " + uri + " (" + note + ")";
        return request + " → " + (responded() ? Integer.toString(status) : failure);
    }

    @Override
    public String toString() {
        return summary();
    }
}
