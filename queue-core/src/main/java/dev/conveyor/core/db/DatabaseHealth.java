package dev.conveyor.core.db;

/**
 * What a server knows about its database without asking it: whether the database is known to be
 * down (so calls should fail at once rather than wait for a connection), and whether it is down
 * for good (so the process should be restarted). An external database is watched by nothing here:
 * {@link #UNWATCHED} says "not known to be down" and readiness asks the database itself.
 */
public interface DatabaseHealth {

    /** For a database this process does not run: never known to be down. */
    DatabaseHealth UNWATCHED = new DatabaseHealth() {
        @Override
        public boolean available() {
            return true;
        }

        @Override
        public boolean recoverable() {
            return true;
        }

        @Override
        public String describe() {
            return "not supervised by this process";
        }
    };

    /** False while the database is known to be down (stopped, dead or restarting). */
    boolean available();

    /** False when the database is down and will not come back by itself: only a process restart may help. */
    boolean recoverable();

    /** A sentence for probes and logs, such as "restarting after mariadbd (pid 123) died". */
    String describe();
}
