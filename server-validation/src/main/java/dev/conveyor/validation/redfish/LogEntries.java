package dev.conveyor.validation.redfish;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Maps a {@code LogEntry} document. */
final class LogEntries {
    private LogEntries() {}

    static LogEntry of(String service, Resource entry) {
        return new LogEntry(service, entry.id(), entry.text("Severity"), created(entry.text("Created")),
                entry.text("Message"), entry.text("EntryType"));
    }

    /** An unreadable timestamp is reported as unknown rather than failing the whole log read. */
    private static Optional<OffsetDateTime> created(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
