package dev.conveyor.validation.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.StoreUnavailableException;
import dev.conveyor.rack.InvalidManifestException;
import dev.conveyor.rack.ManifestProblem;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class RackStatusesTest {

    @Test
    void everyManifestProblemReachesTheCaller() {
        var status = RackStatuses.toStatus(new InvalidManifestException(List.of(
                new ManifestProblem("servers[1].positionU", "position U3 is already used at servers[0].positionU"),
                new ManifestProblem("servers[2].profile", "unknown profile 'gpu'")))).getStatus();

        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("2 problems", "servers[1].positionU: position U3",
                "servers[2].profile: unknown profile 'gpu'");
    }

    @Test
    void theCoreExceptionsMapLikeTheQueueServers() {
        assertThat(code(new InvalidRequestException("rack_id", "bad"))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(new UnknownRackException("r9"))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(new IdempotencyConflictException("datacenter", "k", 7))).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(code(new StoreUnavailableException("down", null))).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(code(new IllegalStateException("bug"))).isEqualTo(Status.Code.INTERNAL);
        assertThat(RackStatuses.toStatus(new IllegalStateException("secret detail")).getStatus().getDescription())
                .doesNotContain("secret detail");
    }

    private static Status.Code code(RuntimeException e) {
        return RackStatuses.toStatus(e).getStatus().getCode();
    }
}
