package dev.conveyor.tor.job;

import dev.conveyor.device.CheckResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conveyor.tor.driver.FanStatus;
import dev.conveyor.tor.driver.PowerSupplyStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Every statement the TOR starter family writes, in one place. Reads go through Hibernate. */
final class TorStarterSql {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String INSERT_JOB = """
            INSERT INTO tor_starter_job (job_id, rack, hostname, management_address, serial, expected_model,
                target_os_version, role, config_template, config_variables, bgp_peers)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INSERT_UPLINK = """
            INSERT INTO tor_uplink (job_id, local_port, expected_device, expected_port, status)
            VALUES (?, ?, ?, ?, 'PLANNED')""";
    private static final String UPDATE_UPLINK = """
            UPDATE tor_uplink SET observed_device = ?, observed_port = ?, status = ?, message = ?
            WHERE job_id = ? AND local_port = ?""";
    private static final String DELETE_FANS = "DELETE FROM tor_fan WHERE job_id = ?";
    private static final String INSERT_FAN = """
            INSERT INTO tor_fan (job_id, location, label, status, ok) VALUES (?, ?, ?, ?, ?)""";
    private static final String DELETE_PSUS = "DELETE FROM tor_psu WHERE job_id = ?";
    private static final String INSERT_PSU = """
            INSERT INTO tor_psu (job_id, slot, model, state, ok) VALUES (?, ?, ?, ?, ?)""";
    private static final String DELETE_CHECKS = "DELETE FROM tor_check WHERE job_id = ?";
    private static final String INSERT_CHECK = """
            INSERT INTO tor_check (job_id, seq, check_name, status, expected, observed, message)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    private TorStarterSql() {
    }

    static void insertJob(Connection c, long jobId, SwitchJobSpec spec) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_JOB)) {
            ps.setLong(1, jobId);
            ps.setString(2, spec.rack());
            ps.setString(3, spec.hostname());
            ps.setString(4, spec.managementAddress());
            ps.setString(5, spec.serial());
            ps.setString(6, spec.model());
            ps.setString(7, spec.osVersion());
            ps.setString(8, spec.role());
            ps.setString(9, spec.configTemplate());
            ps.setString(10, toJson(spec.configVariables()));
            ps.setString(11, toJson(spec.bgpPeers()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_UPLINK)) {
            for (PlannedCable cable : spec.cabling()) {
                ps.setLong(1, jobId);
                ps.setString(2, cable.localPort());
                ps.setString(3, cable.neighborDevice());
                ps.setString(4, cable.neighborPort());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Replaces what an earlier attempt wrote: the results are always those of the last attempt. */
    static void writeResults(Connection c, long jobId, TorStarterResults results) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_UPLINK)) {
            for (CablingCheck.PortResult port : results.ports()) {
                ps.setString(1, port.observedDevice());
                ps.setString(2, port.observedPort());
                ps.setString(3, port.status().name());
                ps.setString(4, port.message());
                ps.setLong(5, jobId);
                ps.setString(6, port.plan().localPort());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        replace(c, DELETE_FANS, INSERT_FAN, jobId, results.fans(), (ps, fan) -> {
            ps.setString(2, fan.location());
            ps.setString(3, fan.label());
            ps.setString(4, fan.status());
            ps.setBoolean(5, fan.ok());
        });
        replace(c, DELETE_PSUS, INSERT_PSU, jobId, results.powerSupplies(), (ps, psu) -> {
            ps.setString(2, psu.slot());
            ps.setString(3, psu.model());
            ps.setString(4, psu.state());
            ps.setBoolean(5, psu.ok());
        });
        int[] seq = {0};
        replace(c, DELETE_CHECKS, INSERT_CHECK, jobId, results.checks(), (ps, check) -> {
            ps.setInt(2, seq[0]++);
            ps.setString(3, check.name());
            ps.setString(4, check.status().name());
            ps.setString(5, check.expected());
            ps.setString(6, check.observed());
            ps.setString(7, check.message());
        });
    }

    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T row) throws SQLException;
    }

    private static <T> void replace(Connection c, String delete, String insert, long jobId, List<T> rows,
            Binder<T> binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(delete)) {
            ps.setLong(1, jobId);
            ps.executeUpdate();
        }
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (T row : rows) {
                ps.setLong(1, jobId);
                binder.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static Map<String, String> variables(String json) {
        return read(json, new TypeReference<>() { });
    }

    static List<String> peers(String json) {
        return read(json, new TypeReference<>() { });
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored JSON column does not parse: " + e.getOriginalMessage(), e);
        }
    }

    /** What one attempt found, to be written with its outcome. */
    record TorStarterResults(List<CheckResult> checks, List<CablingCheck.PortResult> ports, List<FanStatus> fans,
            List<PowerSupplyStatus> powerSupplies) {
    }
}
