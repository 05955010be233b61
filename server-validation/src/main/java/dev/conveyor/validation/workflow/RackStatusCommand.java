package dev.conveyor.validation.workflow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.conveyor.proto.v1.DeviceStatus;
import dev.conveyor.proto.v1.FailedCheck;
import dev.conveyor.proto.v1.GetRackStatusRequest;
import dev.conveyor.proto.v1.RackStatus;
import dev.conveyor.proto.v1.RackVerdict;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code conveyor rack status RACK}: the rack's verdict, one row per device, one more per failed
 * check. The exit code is the verdict, so that a script can wait on a rack: 0 passed,
 * {@value #EXIT_FAILED} failed (the code {@code conveyor watch} gives a job that ended DEAD),
 * {@value #EXIT_IN_PROGRESS} still in progress; an error exits as every command's does
 * ({@link RackExitCodes}: 3 for a rack never validated).
 */
@Command(name = "status", description = {"Show the newest validation of a rack, device by device.",
        "Exits 0 when the rack passed, 5 when devices failed, 8 while it is in progress."})
final class RackStatusCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 5;
    static final int EXIT_IN_PROGRESS = 8;

    @Spec
    CommandSpec spec;

    @Mixin
    RackClientOptions client;

    @Parameters(paramLabel = "RACK", description = "The rack id, as in its manifest.")
    String rackId;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ManagedChannel channel = client.channel();
        try {
            RackStatus status = client.stub(channel).getRackStatus(
                    GetRackStatusRequest.newBuilder().setRackId(rackId).build());
            out.println(client.json() ? JsonFormat.printer().print(status) : grid(status));
            return exitCode(status.getVerdict());
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return RackExitCodes.of(e.getStatus().getCode());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print the response", e);
        } finally {
            RackClientOptions.close(channel);
        }
    }

    static int exitCode(RackVerdict verdict) {
        return switch (verdict) {
            case RACK_VERDICT_PASSED -> 0;
            case RACK_VERDICT_FAILED -> EXIT_FAILED;
            case RACK_VERDICT_IN_PROGRESS -> EXIT_IN_PROGRESS;
            // A server older than the verdict: nothing says the rack passed.
            default -> 1;
        };
    }

    static String grid(RackStatus s) {
        RackTable table = new RackTable("DEVICE", "KIND", "U", "STATE", "CHECK", "EXPECTED", "OBSERVED");
        for (DeviceStatus d : s.getDevicesList()) {
            String u = d.getPositionU() == 0 ? "-" : Integer.toString(d.getPositionU());
            String state = RackTable.state(d.getState());
            if (d.getFailedChecksList().isEmpty()) {
                table.row(d.getDevice(), RackTable.kind(d.getKind()), u, state,
                        d.getLastError().isEmpty() ? "-" : d.getLastError(), "", "");
            }
            for (FailedCheck c : d.getFailedChecksList()) {
                table.row(d.getDevice(), RackTable.kind(d.getKind()), u, state, c.getCheck(), c.getExpected(),
                        c.getObserved());
            }
        }
        return "rack " + s.getRackId() + " " + verdict(s.getVerdict()) + " (parent job " + s.getParentJobId() + ", "
                + RackTable.state(s.getParentState()) + "): " + s.getPassed() + " passed, " + s.getFailed() + " failed, "
                + (s.getDevicesCount() - s.getPassed() - s.getFailed()) + " in progress\n" + table;
    }

    /** "PASSED", "FAILED", "IN PROGRESS". */
    static String verdict(RackVerdict verdict) {
        return switch (verdict) {
            case RACK_VERDICT_PASSED -> "PASSED";
            case RACK_VERDICT_FAILED -> "FAILED";
            case RACK_VERDICT_IN_PROGRESS -> "IN PROGRESS";
            default -> "UNKNOWN";
        };
    }
}
