package dev.conveyor.embedded;

/**
 * What the process running the embedded MariaDB knows about it without asking it: whether it is
 * down (dead or restarting), and whether it will come back by itself. The server reads it as its
 * database's health; this module knows nothing of the server, so the interface is its own.
 */
public interface EmbeddedHealth {

    /** False while mariadbd is known to be down (stopped, dead or restarting). */
    boolean available();

    /** False when mariadbd is down and will not come back by itself: only a process restart may help. */
    boolean recoverable();

    /** A sentence for probes and logs, such as "restarting after mariadbd (pid 123) died". */
    String describe();
}
