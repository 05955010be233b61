package dev.conveyor.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code mariadbd} left running on our data directory by a server that ended without stopping it
 * (SIGKILL, OOM kill, power of the JVM only). It keeps InnoDB's files locked, so a new mariadbd on
 * the directory would retry the lock for a hundred seconds and die. Found at start by its
 * arguments, which name the data directory; stopped, because it is ours: no other program runs a
 * mariadbd on a Conveyor data directory.
 *
 * <p>One case is not an orphan: a mariadbd whose parent is still a JVM belongs to a live server
 * (two servers given one data directory), and stopping it would take that server's database
 * away. That, and a lock held by a process whose arguments this user cannot read, refuse to
 * start with a message that names the process and the directory.
 */
final class OrphanedServers {
    private static final Logger log = LoggerFactory.getLogger(OrphanedServers.class);
    /** InnoDB flushes and closes on SIGTERM; a big buffer pool can take a while. */
    private static final long TERM_WAIT_SECONDS = 30;
    private static final long KILL_WAIT_SECONDS = 10;

    private OrphanedServers() {
    }

    /** Every live mariadbd whose {@code --datadir} is {@code dataDir}, this JVM's own children included. */
    static List<ProcessHandle> serversOf(Path dataDir) {
        return ProcessHandle.allProcesses().filter(p -> servesDataDir(p, dataDir)).toList();
    }

    /** This JVM's own mariadbd on {@code dataDir}, once it has started. */
    static Optional<ProcessHandle> childOf(Path dataDir) {
        return ProcessHandle.current().descendants().filter(p -> servesDataDir(p, dataDir)).findFirst();
    }

    /**
     * Stops every orphaned mariadbd of {@code dataDir}, then makes sure nothing else holds its files.
     *
     * @throws EmbeddedDatabaseException naming the process and the directory, when a live server
     *                                   owns it or it will not stop
     */
    static void stopOrphansOf(Path dataDir) {
        for (ProcessHandle server : serversOf(dataDir)) {
            Optional<ProcessHandle> parent = server.parent();
            if (parent.isPresent() && isJvm(parent.get())) {
                throw new EmbeddedDatabaseException("embedded database data directory " + dataDir
                        + " is in use by mariadbd (pid " + server.pid() + ") of a running process (pid "
                        + parent.get().pid() + "); stop that server, or give this one another --data-dir", null);
            }
            log.warn("found mariadbd (pid {}) still running on data directory {}, left by a server that ended "
                    + "without stopping it: stopping it", server.pid(), dataDir);
            stop(server, dataDir);
            deleteItsScratchDirectory(server);
            log.info("stopped the orphaned mariadbd (pid {}) of {}", server.pid(), dataDir);
        }
        requireUnlocked(dataDir);
    }

    private static void stop(ProcessHandle server, Path dataDir) {
        String args = String.join(" ", server.info().arguments().orElse(new String[0]));
        server.destroy();
        if (awaitExit(server, TERM_WAIT_SECONDS)) {
            return;
        }
        log.warn("mariadbd (pid {}) did not stop within {} s of SIGTERM: killing it", server.pid(), TERM_WAIT_SECONDS);
        server.destroyForcibly();
        if (!awaitExit(server, KILL_WAIT_SECONDS)) {
            throw new EmbeddedDatabaseException("the orphaned mariadbd (pid " + server.pid() + ") of data directory "
                    + dataDir + " does not stop; stop it by hand (its arguments: " + args + ")", null);
        }
    }

    private static boolean awaitExit(ProcessHandle process, long seconds) {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedDatabaseException("interrupted while stopping mariadbd (pid " + process.pid() + ")", e);
        }
    }

    /**
     * The orphan's binaries were unpacked into a scratch directory of the temporary directory that
     * its dead server would have deleted; a restart loop would otherwise leave one per crash.
     */
    private static void deleteItsScratchDirectory(ProcessHandle server) {
        String[] args = server.info().arguments().orElse(new String[0]);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Arrays.stream(args).filter(a -> a.startsWith("--basedir=")).findFirst()
                .map(a -> Path.of(a.substring("--basedir=".length())).toAbsolutePath().normalize().getParent())
                .filter(dir -> dir != null && tmp.equals(dir.getParent())
                        && dir.getFileName().toString().startsWith(EmbeddedMariaDb.SCRATCH_PREFIX))
                .ifPresent(EmbeddedMariaDb::deleteRecursively);
    }

    /**
     * InnoDB holds a POSIX lock on {@code ibdata1} while it runs (the lock Java's file locks also
     * take): a lock we cannot take means a server we could not see, such as one of another user.
     */
    private static void requireUnlocked(Path dataDir) {
        Path ibdata = dataDir.resolve("ibdata1");
        if (!Files.isRegularFile(ibdata)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(ibdata, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw lockedBySomeoneElse(dataDir);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw lockedBySomeoneElse(dataDir);
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("cannot open " + ibdata + " of the embedded database: "
                    + e.getMessage(), e);
        }
    }

    private static EmbeddedDatabaseException lockedBySomeoneElse(Path dataDir) {
        return new EmbeddedDatabaseException("embedded database data directory " + dataDir + " is locked by another "
                + "process (ibdata1 is locked, by a process this user cannot see: see `fuser -v " + dataDir.resolve("ibdata1")
                + "`); stop it, or give this server another --data-dir", null);
    }

    private static boolean servesDataDir(ProcessHandle process, Path dataDir) {
        ProcessHandle.Info info = process.info();
        if (info.command().map(c -> !(c.endsWith("/mariadbd") || c.endsWith("/mysqld"))).orElse(true)) {
            return false;
        }
        String wanted = "--datadir=" + dataDir;
        return info.arguments().map(args -> Arrays.stream(args).anyMatch(a -> a.equals(wanted)
                || (a.startsWith("--datadir=") && samePath(a.substring("--datadir=".length()), dataDir))))
                .orElse(false);
    }

    private static boolean samePath(String arg, Path dataDir) {
        try {
            return Path.of(arg).toAbsolutePath().normalize().equals(dataDir);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isJvm(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("/java")).orElse(false);
    }
}
