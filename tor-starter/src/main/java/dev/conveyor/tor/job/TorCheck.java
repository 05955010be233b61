package dev.conveyor.tor.job;

import dev.conveyor.device.DeviceCheck;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** One check of a switch job's last attempt (read-only mapping). */
@Entity
@Immutable
@Table(name = "tor_check")
public class TorCheck extends DeviceCheck {
    protected TorCheck() {
    }
}
