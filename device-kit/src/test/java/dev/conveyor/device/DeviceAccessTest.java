package dev.conveyor.device;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DeviceAccessTest {

    @Test
    void turningCertificateChecksOffIsWarnedWhenTheAccessIsBuilt(@TempDir Path dir) throws IOException {
        Path password = Files.writeString(dir.resolve("password"), "s3cret-pass");
        Logger logger = (Logger) LoggerFactory.getLogger(DeviceAccess.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            DeviceAccess bmc = DeviceAccess.fromEnvironment("CONVEYOR_BMC", Map.of("CONVEYOR_BMC_USERNAME", "root",
                    "CONVEYOR_BMC_PASSWORD_FILE", password.toString(), "CONVEYOR_BMC_INSECURE_SKIP_VERIFY", "true"));

            assertThat(bmc.tls().skipsVerification()).isTrue();
            assertThat(logged.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("CONVEYOR_BMC_INSECURE_SKIP_VERIFY=true",
                        "NOT checked", "CONVEYOR_BMC_CA_FILE").doesNotContain("s3cret-pass");
            });

            logged.list.clear();
            DeviceAccess verifying = DeviceAccess.fromEnvironment("CONVEYOR_SWITCH", Map.of(
                    "CONVEYOR_SWITCH_USERNAME", "admin", "CONVEYOR_SWITCH_PASSWORD_FILE", password.toString()));

            assertThat(verifying.tls().skipsVerification()).isFalse();
            assertThat(logged.list).isEmpty();
        } finally {
            logger.detachAppender(logged);
        }
    }
}
