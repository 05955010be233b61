package dev.conveyor.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import dev.conveyor.core.IdempotencyConflictException;
import dev.conveyor.core.IllegalJobStateException;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobNotFoundException;
import dev.conveyor.core.JobState;
import dev.conveyor.core.StoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StatusMapperTest {

    @Test
    void invalidInputNamesTheFieldAndTheRule() throws Exception {
        StatusRuntimeException status = StatusMapper.toStatus(new InvalidRequestException("queue", "must match x"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getStatus().getDescription()).isEqualTo("queue: must match x");
        BadRequest detail = StatusProto.fromThrowable(status).getDetails(0).unpack(BadRequest.class);
        assertThat(detail.getFieldViolations(0).getField()).isEqualTo("queue");
        assertThat(detail.getFieldViolations(0).getDescription()).isEqualTo("must match x");
    }

    @Test
    void storeErrorsMapToTheirCodes() {
        assertThat(code(new JobNotFoundException(7))).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(code(new IdempotencyConflictException("q", "k", 7))).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(code(new IllegalJobStateException(7, JobState.SUCCEEDED, "cancel")))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(code(new StoreUnavailableException("down", null))).isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void theDatabaseOutageHidesItsCause() {
        StatusRuntimeException status = StatusMapper.toStatus(new StoreUnavailableException(
                "cannot reach jdbc:mysql://db.internal:3306", new SQLException("Connection refused")));

        assertThat(status.getStatus().getDescription()).startsWith("the database is unavailable").doesNotContain("db.internal");
    }

    @Test
    void anythingElseIsInternalWithOnlyAReference() {
        StatusRuntimeException status = StatusMapper.toStatus(new IllegalStateException("secret table t_x broke"));

        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getStatus().getDescription()).matches("internal error \\(ref [0-9a-f]{8}\\)");
    }

    @Test
    void aStatusPassesThrough() {
        StatusRuntimeException given = Status.RESOURCE_EXHAUSTED.asRuntimeException();

        assertThat(StatusMapper.toStatus(given)).isSameAs(given);
    }

    private static Status.Code code(RuntimeException e) {
        return StatusMapper.toStatus(e).getStatus().getCode();
    }
}
