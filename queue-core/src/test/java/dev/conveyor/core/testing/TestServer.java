package dev.conveyor.core.testing;

import dev.conveyor.core.db.DatabaseConfig;
import dev.conveyor.embedded.EmbeddedMariaDb;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The one database server of this JVM's tests, chosen once: the server named by
 * {@code QUEUE_TEST_JDBC_URL}, else MySQL 8.4 in a container when Docker runs, else an embedded
 * MariaDB. Test classes get their own databases on it ({@link TestDatabase}).
 *
 * @param baseUrl  {@code jdbc:mysql://host:port/}, to which a database name is appended
 * @param query    the URL's parameters other than user and password, or empty
 * @param password null for none
 */
record TestServer(String baseUrl, String query, String user, String password, String description) {

    static final String URL_VARIABLE = "QUEUE_TEST_JDBC_URL";
    static final String MYSQL_IMAGE = "mysql:8.4";

    private static final Logger log = LoggerFactory.getLogger(TestServer.class);

    /** Resolved on first use, by the JVM's class initialisation, so exactly once. */
    private static final class Holder {
        static final TestServer INSTANCE = resolve();
    }

    static TestServer get() {
        return Holder.INSTANCE;
    }

    String urlFor(String database) {
        return baseUrl + database + (query.isEmpty() ? "" : "?" + query);
    }

    Connection connect(String database) throws SQLException {
        // UTC both ways, as Database does: DATETIME(6) values read here compare with the store's.
        String url = urlFor(database) + (query.isEmpty() ? "?" : "&")
                + "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";
        return DriverManager.getConnection(url, user, password);
    }

    private static TestServer resolve() {
        String url = System.getenv(URL_VARIABLE);
        TestServer server;
        if (url != null && !url.isBlank()) {
            server = fromUrl(url.trim(), URL_VARIABLE + "=" + DatabaseConfig.redact(url.trim()));
        } else if (DockerClientFactory.instance().isDockerAvailable()) {
            server = startMySqlContainer();
        } else {
            server = startEmbedded();
        }
        log.info("tests use {}; each test class gets its own database there", server.description());
        return server;
    }

    private static TestServer startMySqlContainer() {
        MySQLContainer container = new MySQLContainer(MYSQL_IMAGE)
                .withUsername("root")
                .withPassword("conveyor");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-test-mysql"));
        return fromUrl(container.getJdbcUrl(), "Testcontainers " + MYSQL_IMAGE)
                .withCredentials(container.getUsername(), container.getPassword());
    }

    private static TestServer startEmbedded() {
        // Stopped, and its files deleted, by its own shutdown hook.
        EmbeddedMariaDb db = EmbeddedMariaDb.start(null);
        return fromUrl(db.jdbcUrl(), "embedded MariaDB on port " + db.port() + " (no "
                + URL_VARIABLE + ", no Docker)").withCredentials(EmbeddedMariaDb.USER, db.password());
    }

    /** Splits {@code jdbc:mysql://host:port/db?user=u&password=p&k=v} into its parts. */
    static TestServer fromUrl(String url, String description) {
        if (!url.startsWith("jdbc:mysql://")) {
            throw new IllegalArgumentException(URL_VARIABLE + " must be a jdbc:mysql:// URL, was "
                    + DatabaseConfig.redact(url));
        }
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        int slash = path.indexOf('/', "jdbc:mysql://".length());
        String base = (slash < 0 ? path : path.substring(0, slash)) + "/";
        String user = null;
        String password = null;
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
        return new TestServer(base, String.join("&", rest), user, password, description);
    }

    private TestServer withCredentials(String newUser, String newPassword) {
        return new TestServer(baseUrl, query, newUser, newPassword, description);
    }

    @Override
    public String toString() {
        return "TestServer[" + description + "]";
    }
}
