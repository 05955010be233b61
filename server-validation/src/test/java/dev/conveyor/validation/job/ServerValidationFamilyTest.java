package dev.conveyor.validation.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.family.JobFamily;
import dev.conveyor.tor.job.TorStarterFamily;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerValidationFamilyTest {

    @Test
    void bothFamiliesAreFoundOnTheClassPathWithTheirTablesAndMigrations() {
        var families = JobFamily.discover();

        assertThat(families).extracting(JobFamily::name).containsExactly("server-validation", "tor-starter");
        assertThat(families).hasAtLeastOneElementOfType(TorStarterFamily.class);
        assertThat(JobFamily.allMigrationLocations(families))
                .containsExactly("classpath:db/server_validation", "classpath:db/tor");
        assertThat(JobFamily.allEntityClasses(families)).contains(ServerValidationJob.class, ServerCheck.class);
        assertThat(new ServerValidationFamily().cliCommands()).hasSize(1);
    }

    @Test
    void serversInFlightComesFromTheEnvironmentOrDefaultsToFour() {
        assertThat(ServerValidationFamily.serversInFlight(Map.of())).isEqualTo(4);
        assertThat(ServerValidationFamily.serversInFlight(Map.of(ServerValidationFamily.SERVERS_IN_FLIGHT_ENV, "8")))
                .isEqualTo(8);
        assertThatThrownBy(() -> ServerValidationFamily.serversInFlight(
                Map.of(ServerValidationFamily.SERVERS_IN_FLIGHT_ENV, "0")))
                .hasMessageContaining("CONVEYOR_RACK_SERVERS_IN_FLIGHT must be a positive whole number");
    }
}
