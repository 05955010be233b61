package dev.conveyor.fault;

import dev.conveyor.worker.JobContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The worker side of the execution ledger: in a worker daemon the suite launched, the
 * {@value FaultyHandlers#LEDGERED} handler appends one line per step of each execution to
 * {@code <fault.ledger.dir>/<pid>.ledger}, so that what a worker did survives the worker.
 *
 * <p>A line is {@code <micros since the epoch> <step> <job> <attempt> <lease epoch> <worker>}, on
 * the machine's clock (every process of the suite runs on this machine, so their lines compare).
 * Each line is one {@code write(2)} on a file opened for appending: once it returns the bytes are
 * the kernel's, and a SIGKILL of the worker loses none of them (only a crash of the machine could,
 * which the suite does not cause; hence no fsync, which would cost a disk flush per step).
 */
final class ExecutionLog {
    static final String DIR_PROPERTY = "fault.ledger.dir";

    /** The steps; the first three are actions of the execution (what a device would see). */
    enum Step { START, TICK, DONE, STOPPED, FAILED }

    private static ExecutionLog instance;

    private final FileChannel file;

    private ExecutionLog(FileChannel file) {
        this.file = file;
    }

    /** This process's log, opened on first use; fails when the daemon was launched without a ledger directory. */
    static synchronized ExecutionLog get() {
        if (instance == null) {
            String dir = System.getProperty(DIR_PROPERTY);
            if (dir == null) {
                throw new IllegalStateException("-D" + DIR_PROPERTY + " is not set: this worker keeps no execution "
                        + "ledger, so it cannot run " + FaultyHandlers.LEDGERED + " jobs");
            }
            try {
                Path path = Files.createDirectories(Path.of(dir)).resolve(ProcessHandle.current().pid() + ".ledger");
                instance = new ExecutionLog(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the execution ledger in " + dir, e);
            }
        }
        return instance;
    }

    /** Appends one step of {@code ctx}'s execution, stamped now. */
    synchronized void append(Step step, JobContext ctx) {
        String line = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) + " " + step + " " + ctx.jobId() + " "
                + ctx.attempt() + " " + ctx.leaseEpoch() + " " + ctx.worker() + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the execution ledger", e);
        }
    }
}
