package dev.conveyor.tor.job;

import dev.conveyor.device.CheckResult;
import dev.conveyor.device.DeviceSteps;
import dev.conveyor.core.InvalidRequestException;
import dev.conveyor.rack.ConfigTemplate;
import dev.conveyor.tor.driver.BgpPeer;
import dev.conveyor.tor.driver.FanStatus;
import dev.conveyor.tor.driver.InterfaceStatus;
import dev.conveyor.tor.driver.LldpNeighbor;
import dev.conveyor.tor.driver.PowerSupplyStatus;
import dev.conveyor.tor.driver.SwitchDriver;
import dev.conveyor.tor.driver.SwitchFacts;
import dev.conveyor.worker.JobContext;
import dev.conveyor.worker.NonRetryableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One execution of the TOR starter steps against one switch, in order:
 *
 * <ol>
 *   <li>reachable — {@code show version} answers;
 *   <li>model, serial — the switch is the planned one; if not, nothing else is checked;
 *   <li>os-version — equals the target, else "upgrade needed: X → Y";
 *   <li>fans, power-supplies — every one reports ok;
 *   <li>cabling — LLDP on every planned port names the planned device and port;
 *   <li>configure — only when every check so far passed: the rendered template is committed in one
 *       configuration session, so a refused line changes nothing;
 *   <li>verify — the planned ports are up and the planned BGP sessions established, waiting up to
 *       {@link VerifySettings#timeout()} for the switch to converge.
 * </ol>
 *
 * The read-only checks all run even after one fails, so the technician learns every problem of
 * the switch at once; configuration is never pushed to a switch that failed one.
 */
final class SwitchStarter {

    /** How the execution ended and what it found. */
    record Verdict(boolean passed, String reason, byte[] summary, TorStarterSql.TorStarterResults results) {
    }

    private final SwitchJobSpec spec;
    private final SwitchDriver driver;
    private final DeviceSteps steps;
    private final VerifySettings verify;
    private final JobContext context;
    private final List<CheckResult> checks = new ArrayList<>();
    private List<CablingCheck.PortResult> ports = List.of();
    private List<FanStatus> fans = List.of();
    private List<PowerSupplyStatus> supplies = List.of();
    private int configLines;

    SwitchStarter(SwitchJobSpec spec, SwitchDriver driver, DeviceSteps steps, VerifySettings verify,
            JobContext context) {
        this.spec = spec;
        this.driver = driver;
        this.steps = steps;
        this.verify = verify;
        this.context = context;
    }

    Verdict run() throws Exception {
        SwitchFacts facts = steps.call("reachable", driver::facts);
        steps.record("reachable", "OK", "the switch answers: " + facts.model() + " running " + facts.osVersion());
        check(CheckResult.equal("model", spec.model(), facts.model(), "a different switch model is racked here"));
        check(CheckResult.equal("serial", spec.serial(), facts.serialNumber(),
                "another switch answers at " + spec.managementAddress() + " (wrong switch racked, or wrong address)"));
        if (anyFailed()) {
            skip("not the planned switch", "os-version", "fans", "power-supplies", "cabling", "configure", "verify");
            return verdict();
        }
        check(CheckResult.equal("os-version", spec.osVersion(), facts.osVersion(),
                "upgrade needed: " + facts.osVersion() + " → " + spec.osVersion()));
        fans = steps.call("fans", driver::fans);
        check(fansCheck(fans));
        supplies = steps.call("power-supplies", driver::powerSupplies);
        check(suppliesCheck(supplies));
        List<LldpNeighbor> neighbors = steps.call("cabling", driver::lldpNeighbors);
        ports = CablingCheck.compare(spec.cabling(), neighbors);
        check(cablingCheck(ports));
        if (anyFailed()) {
            skip("not configured: the checks above failed", "configure", "verify");
            return verdict();
        }
        if (configure()) {
            verify();
        }
        return verdict();
    }

    private boolean configure() throws Exception {
        List<String> lines;
        try {
            lines = ConfigTemplate.parse(spec.configTemplate()).renderLines(spec.configVariables());
        } catch (InvalidRequestException e) {
            check(CheckResult.fail("configure", "a configuration rendered from the template", e.getMessage(),
                    "the template cannot be rendered"));
            skip("not configured", "verify");
            return false;
        }
        configLines = lines.size();
        String session = "conveyor-" + context.jobId() + "-" + context.attempt();
        try {
            steps.call("configure", () -> {
                driver.pushConfig(session, lines);
                return null;
            });
        } catch (NonRetryableException e) {
            check(CheckResult.fail("configure", lines.size() + " lines committed", e.getMessage(),
                    "the switch refused the configuration; session " + session + " was not committed, nothing changed"));
            skip("not configured", "verify");
            return false;
        }
        check(CheckResult.pass("configure", lines.size() + " lines committed", "session " + session + " committed"));
        return true;
    }

    /** Polls until the switch has converged or the timeout passes; the last look is the verdict. */
    private void verify() throws Exception {
        long deadline = System.nanoTime() + verify.timeout().toNanos();
        while (true) {
            List<InterfaceStatus> interfaces = steps.call("verify", driver::interfaces);
            List<BgpPeer> peers = steps.call("verify", driver::bgpPeers);
            CheckResult links = linksCheck(interfaces);
            CheckResult bgp = bgpCheck(peers);
            if ((!links.failed() && !bgp.failed()) || System.nanoTime() - deadline >= 0) {
                check(links);
                check(bgp);
                return;
            }
            Thread.sleep(verify.interval().toMillis());
        }
    }

    private CheckResult fansCheck(List<FanStatus> all) {
        List<String> bad = all.stream().filter(f -> !f.ok()).map(f -> f.label() + " " + f.status()).toList();
        return bad.isEmpty()
                ? CheckResult.pass("fans", "all ok", all.size() + " ok")
                : CheckResult.fail("fans", "all ok", String.join(", ", bad), "replace the failed fan(s)");
    }

    private CheckResult suppliesCheck(List<PowerSupplyStatus> all) {
        List<String> bad = all.stream().filter(p -> !p.ok()).map(p -> "PSU " + p.slot() + " " + p.state()).toList();
        if (all.isEmpty()) {
            return CheckResult.fail("power-supplies", "all ok", "none reported", "the switch reports no power supplies");
        }
        return bad.isEmpty()
                ? CheckResult.pass("power-supplies", "all ok", all.size() + " ok")
                : CheckResult.fail("power-supplies", "all ok", String.join(", ", bad),
                        "check the power feed and the supply");
    }

    private static CheckResult cablingCheck(List<CablingCheck.PortResult> results) {
        List<CablingCheck.PortResult> bad = results.stream().filter(p -> !p.ok()).toList();
        if (bad.isEmpty()) {
            return CheckResult.pass("cabling", results.size() + " ports as planned", results.size() + " ports as planned");
        }
        return CheckResult.fail("cabling",
                bad.stream().map(p -> p.plan().localPort() + "→" + p.plan().neighborDevice() + " "
                        + p.plan().neighborPort()).collect(Collectors.joining(", ")),
                bad.stream().map(p -> p.plan().localPort() + "→" + (p.observedDevice() == null ? "nothing"
                        : p.observedDevice() + " " + p.observedPort())).collect(Collectors.joining(", ")),
                bad.stream().map(CablingCheck.PortResult::message).collect(Collectors.joining("; ")));
    }

    private CheckResult linksCheck(List<InterfaceStatus> interfaces) {
        Set<String> up = interfaces.stream().filter(InterfaceStatus::up).map(InterfaceStatus::name)
                .collect(Collectors.toSet());
        List<String> down = spec.cabling().stream().map(PlannedCable::localPort).filter(p -> !up.contains(p)).toList();
        return down.isEmpty()
                ? CheckResult.pass("interfaces-up", spec.cabling().size() + " planned ports up", "all up")
                : CheckResult.fail("interfaces-up", "planned ports up", "down: " + String.join(", ", down),
                        "planned ports are not up after configuration");
    }

    private CheckResult bgpCheck(List<BgpPeer> peers) {
        Map<String, String> state = new LinkedHashMap<>();
        peers.forEach(p -> state.putIfAbsent(p.peerAddress(), p.state()));
        List<String> bad = spec.bgpPeers().stream().filter(p -> !"Established".equals(state.get(p)))
                .map(p -> p + " " + state.getOrDefault(p, "absent")).toList();
        return bad.isEmpty()
                ? CheckResult.pass("bgp", spec.bgpPeers().size() + " sessions established", "all established")
                : CheckResult.fail("bgp", "established with " + String.join(", ", spec.bgpPeers()),
                        String.join(", ", bad), "BGP sessions did not come up within " + verify.timeout().toSeconds() + " s");
    }

    private void check(CheckResult result) {
        checks.add(result);
        steps.record(result);
    }

    private void skip(String why, String... names) {
        for (String name : names) {
            check(CheckResult.skipped(name, why));
        }
    }

    private boolean anyFailed() {
        return checks.stream().anyMatch(CheckResult::failed);
    }

    private Verdict verdict() {
        TorStarterSql.TorStarterResults results = new TorStarterSql.TorStarterResults(checks, ports, fans, supplies);
        List<CheckResult> failed = checks.stream().filter(CheckResult::failed).toList();
        if (failed.isEmpty()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("switch", spec.hostname());
            summary.put("checks", checks.size());
            summary.put("configLines", configLines);
            return new Verdict(true, "", TorStarterSql.toJson(summary).getBytes(StandardCharsets.UTF_8), results);
        }
        String reason = "switch " + spec.hostname() + " failed " + failed.size()
                + (failed.size() == 1 ? " check: " : " checks: ")
                + failed.stream().map(CheckResult::describe).collect(Collectors.joining("; "));
        return new Verdict(false, reason, null, results);
    }
}
