package dev.conveyor.validation.workflow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.conveyor.proto.v1.DeviceJob;
import dev.conveyor.proto.v1.ManifestFormat;
import dev.conveyor.proto.v1.ManifestText;
import dev.conveyor.proto.v1.ValidateRackRequest;
import dev.conveyor.proto.v1.ValidateRackResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code conveyor rack validate FILE}: sends a manifest and prints the jobs it created. */
@Command(name = "validate", description = "Validate the rack a manifest (YAML or JSON) describes.")
final class RackValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RackClientOptions client;

    @Parameters(paramLabel = "FILE", description = "The rack manifest; .json is JSON, anything else YAML.")
    Path file;

    @Option(names = "--request-id", paramLabel = "ID",
            description = "Makes the call safe to repeat: the same id and manifest return the same jobs.")
    String requestId;

    @Option(names = "--max-servers-in-flight", paramLabel = "N", defaultValue = "0",
            description = "Servers of the rack validated at once (default: the server's, 4).")
    int maxServersInFlight;

    @Option(names = "--provision",
            description = "Provision, then validate: servers whose profile has a provisioning block are provisioned"
                    + " (firmware, BIOS settings, PXE boot) before they are validated.")
    boolean provision;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            err.println("error: manifest file not found: " + file.toAbsolutePath());
            return RackExitCodes.USAGE;
        }
        ValidateRackRequest.Builder request = ValidateRackRequest.newBuilder()
                .setManifestText(ManifestText.newBuilder().setText(text)
                        .setFormat(file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")
                                ? ManifestFormat.MANIFEST_FORMAT_JSON : ManifestFormat.MANIFEST_FORMAT_YAML))
                .setMaxServersInFlight(maxServersInFlight)
                .setProvision(provision);
        if (requestId != null) {
            request.setRequestId(requestId);
        }
        ManagedChannel channel = client.channel();
        try {
            ValidateRackResponse response = client.stub(channel).validateRack(request.build());
            if (client.json()) {
                out.println(JsonFormat.printer().print(response));
            } else {
                out.println(table(response));
            }
            return 0;
        } catch (StatusRuntimeException e) {
            err.println("error: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return RackExitCodes.of(e.getStatus().getCode());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print the response", e);
        } finally {
            RackClientOptions.close(channel);
        }
    }

    private static String table(ValidateRackResponse r) {
        RackTable table = new RackTable("DEVICE", "KIND", "JOB", "AFTER");
        for (DeviceJob d : r.getDevicesList()) {
            table.row(d.getDevice(), RackTable.kind(d.getKind()), Long.toString(d.getJobId()),
                    d.getDependsOnList().isEmpty() ? "-" : d.getDependsOnList().toString());
        }
        return "rack " + r.getRackId() + ": parent job " + r.getParentJobId()
                + (r.getDeduplicated() ? " (already requested with this id)" : "") + "\n" + table
                + "follow it: conveyor watch " + r.getParentJobId() + "   or: conveyor rack status " + r.getRackId();
    }
}
