package dev.conveyor.embedded;

import java.nio.file.Path;

/**
 * A JVM that runs an embedded MariaDB on a data directory until it is killed: what a
 * {@code conveyor server} on the embedded database is, for {@link EmbeddedMariaDbIT}'s orphan test.
 * Prints {@code READY <mariadbd pid>} once the database answers.
 */
public final class EmbeddedMariaDbHolder {
    private EmbeddedMariaDbHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of(args[0]));
        System.out.println("READY " + db.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
