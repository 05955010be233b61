package dev.conveyor.validation.workflow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.conveyor.proto.v1.DeviceStatus;
import dev.conveyor.proto.v1.FailedCheck;
import dev.conveyor.proto.v1.GetRackStatusRequest;
import dev.conveyor.proto.v1.RackStatus;
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

/** {@code conveyor rack status RACK}: one row per device, one more per failed check. */
@Command(name = "status", description = "Show the newest validation of a rack, device by device.")
final class RackStatusCommand implements Callable<Integer> {
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
            return 0;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 1;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print the response", e);
        } finally {
            RackClientOptions.close(channel);
        }
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
        return "rack " + s.getRackId() + " (parent job " + s.getParentJobId() + ", " + RackTable.state(s.getParentState())
                + "): " + s.getPassed() + " passed, " + s.getFailed() + " failed, "
                + (s.getDevicesCount() - s.getPassed() - s.getFailed()) + " in progress\n" + table;
    }
}
