package dev.conveyor.server.security;

import dev.conveyor.proto.v1.CancelJobRequest;
import dev.conveyor.proto.v1.PauseQueueRequest;
import dev.conveyor.proto.v1.ResumeQueueRequest;
import dev.conveyor.proto.v1.RetryJobRequest;
import dev.conveyor.proto.v1.SubmitJobRequest;
import dev.conveyor.proto.v1.SubmitJobsRequest;
import dev.conveyor.proto.v1.ValidateRackRequest;

/** What a refused mutating call was about, for its audit record, in the words the queue's own records use. */
final class Targets {
    private Targets() {
    }

    static String of(Object request) {
        return switch (request) {
            case SubmitJobRequest r -> "queue " + r.getQueue();
            case SubmitJobsRequest r -> r.getJobsCount() + " job(s)";
            case CancelJobRequest r -> "job " + r.getId();
            case RetryJobRequest r -> "job " + r.getId();
            case PauseQueueRequest r -> "queue " + r.getQueue();
            case ResumeQueueRequest r -> "queue " + r.getQueue();
            case ValidateRackRequest r -> r.getRequestId().isEmpty() ? "rack" : "rack request " + r.getRequestId();
            case null, default -> null;
        };
    }
}
