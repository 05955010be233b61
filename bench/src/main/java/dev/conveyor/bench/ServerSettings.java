package dev.conveyor.bench;

/**
 * The database server's settings that decide what a commit and a claim cost; printed with every
 * table, since a figure means nothing without them.
 */
record ServerSettings(String version, String flushLogAtTrxCommit, String syncBinlog, String logBin,
        long bufferPoolBytes, long logFileBytes) {

    /** One Markdown bullet per setting. */
    String markdown() {
        return "- server: " + version + "\n"
                + "- innodb_flush_log_at_trx_commit = " + flushLogAtTrxCommit
                + ("1".equals(flushLogAtTrxCommit) ? " (durable: every commit flushes the redo log)" : " (NOT durable)")
                + "\n"
                + "- sync_binlog = " + syncBinlog + ", log_bin = " + logBin + "\n"
                + "- innodb_buffer_pool_size = " + mib(bufferPoolBytes) + ", innodb_log_file_size = "
                + mib(logFileBytes) + "\n";
    }

    private static String mib(long bytes) {
        return bytes / (1024 * 1024) + " MiB";
    }
}
