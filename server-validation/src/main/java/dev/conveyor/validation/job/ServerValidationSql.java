package dev.conveyor.validation.job;

import dev.conveyor.device.CheckResult;
import dev.conveyor.rack.HardwareProfile;
import dev.conveyor.rack.ServerSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.stream.Collectors;

/** Every statement the server validation family writes, in one place. Reads go through Hibernate. */
final class ServerValidationSql {
    private static final String INSERT_JOB = """
            INSERT INTO server_validation_job (job_id, rack, serial, asset_tag, position_u, bmc_address, reason,
                replaced_kind, replaced_name, profile_name, cpu_model, cpu_count, memory_gib, drive_count,
                drive_min_gb, nic_count, nic_speeds_mbps, bios_min, bmc_min, accelerators)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String DELETE_CHECKS = "DELETE FROM server_check WHERE job_id = ?";
    private static final String INSERT_CHECK = """
            INSERT INTO server_check (job_id, seq, check_name, status, expected, observed, message)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    private ServerValidationSql() {
    }

    static void insertJob(Connection c, long jobId, String rack, ServerSpec server, HardwareProfile profile)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_JOB)) {
            ps.setLong(1, jobId);
            ps.setString(2, rack);
            ps.setString(3, server.serial());
            ps.setString(4, server.assetTag());
            ps.setInt(5, server.positionU());
            ps.setString(6, server.bmcAddress());
            ps.setString(7, server.reason().name());
            if (server.replacedComponent() != null) {
                ps.setString(8, server.replacedComponent().kind().name());
                ps.setString(9, server.replacedComponent().name());
            } else {
                ps.setNull(8, Types.VARCHAR);
                ps.setNull(9, Types.VARCHAR);
            }
            ps.setString(10, server.profile());
            ps.setString(11, profile.cpu().model());
            ps.setInt(12, profile.cpu().count());
            ps.setInt(13, profile.memoryGiB());
            ps.setInt(14, profile.drives().count());
            ps.setInt(15, profile.drives().minSizeGB());
            ps.setInt(16, profile.nics().count());
            ps.setString(17, profile.nics().speedsMbps().stream().map(String::valueOf).collect(Collectors.joining(",")));
            ps.setString(18, profile.firmware().bios());
            ps.setString(19, profile.firmware().bmc());
            ps.setString(20, ServerValidationJob.accelerators(profile.accelerators()));
            ps.executeUpdate();
        }
    }

    /** Replaces what an earlier attempt wrote: the checks are always those of the last attempt. */
    static void writeChecks(Connection c, long jobId, List<CheckResult> checks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE_CHECKS)) {
            ps.setLong(1, jobId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_CHECK)) {
            int seq = 0;
            for (CheckResult check : checks) {
                ps.setLong(1, jobId);
                ps.setInt(2, seq++);
                ps.setString(3, check.name());
                ps.setString(4, check.status().name());
                ps.setString(5, check.expected());
                ps.setString(6, check.observed());
                ps.setString(7, check.message());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
