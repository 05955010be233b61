package dev.conveyor.validation.workflow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.core.JobState;
import dev.conveyor.family.CallerContext;
import dev.conveyor.proto.v1.FailedCheck;
import dev.conveyor.proto.v1.GetRackStatusRequest;
import dev.conveyor.proto.v1.RackServiceGrpc;
import dev.conveyor.proto.v1.RackStatus;
import dev.conveyor.proto.v1.ValidateRackRequest;
import dev.conveyor.proto.v1.ValidateRackResponse;
import dev.conveyor.rack.ManifestFormat;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * {@code conveyor.v1.RackService}: maps requests to {@link RackWorkflow} and {@link RackReports}, and
 * back. A validation is submitted as the caller: audited in its transaction, its jobs created by it.
 */
public final class RackGrpcService extends RackServiceGrpc.RackServiceImplBase {
    private final RackWorkflow workflow;
    private final RackReports reports;
    private final CallerContext caller;

    public RackGrpcService(RackWorkflow workflow, CallerContext caller) {
        this.workflow = workflow;
        this.reports = new RackReports(workflow.queue());
        this.caller = caller;
    }

    /** Without authenticated callers. */
    public RackGrpcService(RackWorkflow workflow) {
        this(workflow, CallerContext.NONE);
    }

    @Override
    public void validateRack(ValidateRackRequest request, StreamObserver<ValidateRackResponse> response) {
        respond(response, () -> {
            ValidateOptions options = new ValidateOptions(request.getRequestId().isEmpty() ? null : request.getRequestId(),
                    request.getMaxServersInFlight(), caller.name(), null, request.getProvision());
            RackWorkflow asCaller = workflow.as(caller.queue(workflow.queue()));
            RackSubmission s = switch (request.getSourceCase()) {
                case MANIFEST_TEXT -> asCaller.validate(request.getManifestText().getText(),
                        format(request.getManifestText().getFormat()), options);
                case MANIFEST_STRUCT -> asCaller.validate(structAsJson(request), ManifestFormat.JSON, options);
                case SOURCE_NOT_SET -> throw new InvalidRequestException("manifest",
                        "is required: give manifest_text or manifest_struct");
            };
            ValidateRackResponse.Builder out = ValidateRackResponse.newBuilder().setRackId(s.rackId())
                    .setParentJobId(s.parentJobId()).setDeduplicated(s.deduplicated());
            for (DeviceJob d : s.devices()) {
                out.addDevices(dev.conveyor.proto.v1.DeviceJob.newBuilder().setDevice(d.device()).setKind(kind(d.kind()))
                        .setJobId(d.jobId()).addAllDependsOn(d.dependsOn()));
            }
            return out.build();
        });
    }

    @Override
    public void getRackStatus(GetRackStatusRequest request, StreamObserver<RackStatus> response) {
        respond(response, () -> {
            RackReport r = reports.latest(request.getRackId());
            RackStatus.Builder out = RackStatus.newBuilder().setRackId(r.rackId()).setParentJobId(r.parentJobId())
                    .setParentState(state(r.parentState())).setPassed((int) r.passed()).setFailed((int) r.failed())
                    .setVerdict(dev.conveyor.proto.v1.RackVerdict.valueOf("RACK_VERDICT_" + r.verdict().name()));
            for (DeviceReport d : r.devices()) {
                var device = dev.conveyor.proto.v1.DeviceStatus.newBuilder().setDevice(d.device()).setKind(kind(d.kind()))
                        .setPositionU(d.positionU()).setJobId(d.jobId()).setState(state(d.state()))
                        .setLastError(d.lastError());
                d.failedChecks().forEach(c -> device.addFailedChecks(FailedCheck.newBuilder().setCheck(c.name())
                        .setExpected(c.expected()).setObserved(c.observed()).setMessage(c.message())));
                out.addDevices(device);
            }
            return out.build();
        });
    }

    private static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            response.onError(RackStatuses.toStatus(e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    private static ManifestFormat format(dev.conveyor.proto.v1.ManifestFormat format) {
        return switch (format) {
            case MANIFEST_FORMAT_YAML -> ManifestFormat.YAML;
            case MANIFEST_FORMAT_JSON -> ManifestFormat.JSON;
            default -> throw new InvalidRequestException("manifest_text.format", "must be YAML or JSON");
        };
    }

    private static String structAsJson(ValidateRackRequest request) {
        try {
            return JsonFormat.printer().print(request.getManifestStruct());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRequestException("manifest_struct", "is not a JSON document: " + e.getMessage());
        }
    }

    private static dev.conveyor.proto.v1.DeviceKind kind(DeviceKind kind) {
        return switch (kind) {
            case SWITCH -> dev.conveyor.proto.v1.DeviceKind.DEVICE_KIND_SWITCH;
            case SERVER -> dev.conveyor.proto.v1.DeviceKind.DEVICE_KIND_SERVER;
            case PROVISIONING -> dev.conveyor.proto.v1.DeviceKind.DEVICE_KIND_PROVISIONING;
        };
    }

    private static dev.conveyor.proto.v1.JobState state(JobState state) {
        return dev.conveyor.proto.v1.JobState.valueOf("JOB_STATE_" + state.name());
    }
}
