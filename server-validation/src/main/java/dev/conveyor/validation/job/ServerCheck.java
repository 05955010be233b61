package dev.conveyor.validation.job;

import dev.conveyor.device.DeviceCheck;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** One check of a server validation job's last attempt (read-only mapping). */
@Entity
@Immutable
@Table(name = "server_check")
public class ServerCheck extends DeviceCheck {
    protected ServerCheck() {
    }
}
