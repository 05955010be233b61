package dev.conveyor.validation.redfish;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * One log entry (for example of the system event log).
 *
 * @param logService the id of the log service it came from
 * @param severity "OK", "Warning" or "Critical"
 * @param entryType "SEL", "Event", "Oem", …
 */
public record LogEntry(String logService, String id, String severity, Optional<OffsetDateTime> created,
        String message, String entryType) {
    public boolean critical() {
        return "Critical".equals(severity);
    }
}
