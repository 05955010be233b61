package dev.conveyor.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MySQL-compatible server the benchmark runs on: where it is, how to log in, and the admin
 * work of a run (fresh databases, the settings that matter, the server's process).
 *
 * <p>The password never goes into a URL handed to a child process, which would show in
 * {@code ps}: children get the user as a flag and the password in their environment.
 *
 * @param baseUrl  {@code jdbc:mysql://host:port/}, to which a database name is appended
 * @param query    the URL's parameters other than user and password, or empty
 * @param password null for none
 */
record DatabaseServer(String baseUrl, String query, String user, String password) {

    /** Splits {@code jdbc:mysql://host:port/db?user=u&password=p&k=v}; the database name is dropped. */
    static DatabaseServer parse(String url, String passwordFromEnvironment) {
        if (url == null || !url.startsWith("jdbc:mysql://")) {
            throw new IllegalArgumentException("--db-url must be a jdbc:mysql:// URL");
        }
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        int slash = path.indexOf('/', "jdbc:mysql://".length());
        String base = (slash < 0 ? path : path.substring(0, slash)) + "/";
        String user = null;
        String password = passwordFromEnvironment;
        List<String> rest = new ArrayList<>();
        if (q >= 0) {
            for (String param : url.substring(q + 1).split("&")) {
                if (param.startsWith("user=")) {
                    user = param.substring("user=".length());
                } else if (param.startsWith("password=")) {
                    password = param.substring("password=".length());
                } else if (!param.isEmpty()) {
                    rest.add(param);
                }
            }
        }
        return new DatabaseServer(base, String.join("&", rest), user, password);
    }

    /** The URL of {@code database}, without user or password. */
    String urlFor(String database) {
        return baseUrl + database + (query.isEmpty() ? "" : "?" + query);
    }

    /** The port in the URL; 3306 when it names none. */
    int port() {
        String hostPort = baseUrl.substring("jdbc:mysql://".length(), baseUrl.length() - 1);
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? 3306 : Integer.parseInt(hostPort.substring(colon + 1));
    }

    /** A new connection to {@code database} ("" for none); the caller closes it. */
    Connection connect(String database) throws SQLException {
        String url = urlFor(database);
        // Batched statements are sent as one multi-row statement where the driver can.
        url += (url.contains("?") ? "&" : "?") + "rewriteBatchedStatements=true";
        return DriverManager.getConnection(url, user, password);
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
    }

    void dropDatabase(String name) throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    /** The settings that decide what a commit costs, as the server reports them. */
    ServerSettings settings() throws SQLException {
        try (Connection c = connect(""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT VERSION(), @@innodb_flush_log_at_trx_commit, @@sync_binlog, "
                        + "@@log_bin, @@innodb_buffer_pool_size, @@innodb_log_file_size")) {
            rs.next();
            return new ServerSettings(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getLong(5), rs.getLong(6));
        }
    }

    /**
     * The server's process on this machine, to sample its CPU: the {@code mariadbd} or
     * {@code mysqld} started with this URL's {@code --port}, else the only one started without
     * a port (the packaged server on 3306), else the only one running. Empty when none is found
     * (the server is elsewhere) or the choice is ambiguous.
     */
    Optional<ProcessHandle> process() {
        List<ProcessHandle> servers = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(DatabaseServer::isServerBinary).orElse(false))
                .toList();
        String portArg = "--port=" + port();
        Optional<ProcessHandle> byPort = servers.stream().filter(p -> hasArgument(p, portArg)).findFirst();
        if (byPort.isPresent()) {
            return byPort;
        }
        List<ProcessHandle> portless = servers.stream().filter(p -> !hasArgumentStarting(p, "--port=")).toList();
        if (port() == 3306 && portless.size() == 1) {
            return Optional.of(portless.getFirst());
        }
        return servers.size() == 1 ? Optional.of(servers.getFirst()) : Optional.empty();
    }

    private static boolean isServerBinary(String command) {
        return command.endsWith("/mariadbd") || command.endsWith("/mysqld");
    }

    private static boolean hasArgument(ProcessHandle p, String argument) {
        return p.info().arguments().map(args -> List.of(args).contains(argument)).orElse(false);
    }

    private static boolean hasArgumentStarting(ProcessHandle p, String prefix) {
        return p.info().arguments().map(args -> List.of(args).stream().anyMatch(a -> a.startsWith(prefix)))
                .orElse(false);
    }

    @Override
    public String toString() {
        return "DatabaseServer[" + urlFor("") + ", user=" + user + "]";
    }
}
