package dev.conveyor.rack;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a technician racked and what each device should be: the input of a rack validation.
 *
 * <p>The records of this package hold a manifest as written, so that {@link ManifestValidator} can
 * list every problem at once rather than stop at the first; their fields may be null until then.
 * A manifest returned by {@link ManifestCodec} has passed the validator: every required field is
 * present and well-formed, every profile name resolves, and no position, address, serial or port
 * is used twice.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RackManifest(String rackId, List<SwitchSpec> switches, List<ServerSpec> servers,
        Map<String, HardwareProfile> profiles) {
    public RackManifest {
        switches = Specs.list(switches);
        servers = Specs.list(servers);
        profiles = Specs.map(profiles);
    }

    /** The server's hardware profile, named or inline; empty only for a manifest not yet validated. */
    public Optional<HardwareProfile> profileOf(ServerSpec server) {
        if (server.inlineProfile() != null) {
            return Optional.of(server.inlineProfile());
        }
        return Optional.ofNullable(server.profile()).map(profiles::get);
    }

    /**
     * The switches whose cabling plan names this server (by serial or asset tag) as a neighbor:
     * the switches its validation depends on.
     */
    public List<SwitchSpec> switchesCabledTo(ServerSpec server) {
        return switches.stream()
                .filter(sw -> sw.cabling().stream().anyMatch(cable -> cable.neighbor() != null
                        && (cable.neighbor().equals(server.serial()) || cable.neighbor().equals(server.assetTag()))))
                .toList();
    }
}
