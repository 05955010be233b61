package dev.conveyor.bench;

import dev.conveyor.embedded.EmbeddedMariaDb;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code conveyor-bench}: runs the workloads of BENCHMARK.md against one database server, the
 * raw-JDBC limit and Conveyor in interleaved rounds, checks that every job ran exactly once, and
 * prints (and writes) the table. Exit 0 when every run was exactly-once, 2 when one was not, 1
 * when the benchmark could not run.
 */
@Command(name = "conveyor-bench", mixinStandardHelpOptions = true,
        description = "Measures Conveyor against a raw-JDBC SKIP LOCKED queue (BENCHMARK.md W1-W5).")
public final class Bench implements Callable<Integer> {
    static final int EXACTLY_ONCE_VIOLATED = 2;
    private static final Logger log = LoggerFactory.getLogger(Bench.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--db-url", defaultValue = "jdbc:mysql://127.0.0.1:3306/test?user=root",
            description = "The server to measure, as a JDBC URL; its database is only used to log in: every run "
                    + "creates and drops its own (password: in the URL or env CONVEYOR_DB_PASSWORD; "
                    + "default: ${DEFAULT-VALUE}).")
    String dbUrl;

    @Option(names = "--embedded", description = "Start an embedded MariaDB and measure that instead of --db-url.")
    boolean embedded;

    @Option(names = "--workloads", split = ",", defaultValue = "W1,W2,W3,W4",
            description = "Workloads to run (default: ${DEFAULT-VALUE}).")
    EnumSet<Workload> workloads;

    @Option(names = "--rounds", defaultValue = "2",
            description = "Interleaved rounds (limit, Conveyor, limit, Conveyor…), at least 2 "
                    + "(default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--n", defaultValue = "20000", description = "Jobs of W1, W4 and W5 (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--w4-history", defaultValue = "1000000",
            description = "Finished jobs preloaded for W4 (default: ${DEFAULT-VALUE}).")
    int historyJobs;

    @Option(names = "--w5-scheduled", defaultValue = "200000",
            description = "W5: READY jobs scheduled an hour ahead in the drained queue; W5 reports its drain / W1's "
                    + "drain and the rows an idle claim reads beside them (default: ${DEFAULT-VALUE}).")
    int w5Scheduled;

    @Option(names = "--w5-backoff", defaultValue = "50000",
            description = "W5: READY jobs waiting out a retry backoff (" + BacklogPreload.BACKOFF_MINUTES
                    + " minutes, attempt 1) in the same queue (default: ${DEFAULT-VALUE}).")
    int w5Backoff;

    @Option(names = "--job-type", defaultValue = "record",
            description = "record (each completion also inserts an execution-log row, which is how executions "
                    + "are counted; the limit does the same) or noop (executions counted from events) "
                    + "(default: ${DEFAULT-VALUE}).")
    String jobType;

    @Option(names = "--smoke", description = "Tiny sizes, for CI: N = 500, 20,000 history jobs, W5 20,000 + 5,000, "
            + "W2 50 jobs, "
            + "W3 24 jobs of 500 ms. Checks exactly-once; its speeds mean nothing.")
    boolean smoke;

    @Option(names = "--conveyor-jar", defaultValue = "queue-server/target/conveyor.jar",
            description = "The conveyor executable jar (default: ${DEFAULT-VALUE}).")
    Path conveyorJar;

    @Option(names = "--out", defaultValue = "bench/results",
            description = "Where <timestamp>.md and .csv are written (default: ${DEFAULT-VALUE}).")
    Path outDir;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Bench()).setExecutionExceptionHandler((error, cl, parsed) -> {
            cl.getErr().println("error: " + (error.getMessage() == null ? error.toString() : error.getMessage()));
            log.debug("benchmark failed", error);
            return 1;
        });
    }

    @Override
    public Integer call() throws Exception {
        BenchConfig config = config();
        if (!Files.isRegularFile(config.conveyorJar())) {
            throw new BenchException("no Conveyor jar at " + config.conveyorJar()
                    + " (build it: mvn -B -pl queue-server -am package -DskipTests)");
        }
        if (!embedded) {
            return run(config, DatabaseServer.parse(dbUrl, System.getenv("CONVEYOR_DB_PASSWORD")));
        }
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(null)) {
            return run(config, DatabaseServer.parse(db.jdbcUrl() + "?user=" + EmbeddedMariaDb.USER, db.password()));
        }
    }

    private int run(BenchConfig config, DatabaseServer server) throws Exception {
        ServerSettings settings = server.settings();
        Machine machine = Machine.current();
        Processes processes = new Processes(server.process());
        Path logDir = Files.createTempDirectory("conveyor-bench-");
        log.info("benchmark on {} ({}), process logs in {}", server, settings.version(), logDir);
        ConveyorProcess.Launcher launcher = ConveyorProcess.Launcher.probe(javaBinary(), config.conveyorJar(), server,
                logDir);
        LimitBenchmark limit = new LimitBenchmark(config, server, processes);
        ConveyorBenchmark conveyor = new ConveyorBenchmark(config, server, processes, launcher);
        String runId = "bench_" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        boolean limitRuns = config.workloads().contains(Workload.W1) || config.workloads().contains(Workload.W2);
        List<Measurement> measurements = new ArrayList<>();
        for (int round = 1; round <= config.rounds(); round++) {
            if (limitRuns) {
                measurements.addAll(limit.round(round, runId + "_limit_r" + round));
            }
            measurements.addAll(conveyor.round(round, runId + "_r" + round));
        }
        ResultTable table = new ResultTable(measurements);
        String report = report(config, settings, machine, table);
        PrintWriter out = spec.commandLine().getOut();
        out.println(report);
        out.flush();
        write(config.outDir(), report, table.csv());
        List<String> violations = table.violations();
        if (!violations.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("EXACTLY-ONCE VIOLATED:");
            violations.forEach(v -> err.println("  " + v));
            err.flush();
            return EXACTLY_ONCE_VIOLATED;
        }
        return 0;
    }

    private BenchConfig config() {
        if (!jobType.equals("record") && !jobType.equals("noop")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--job-type must be record or noop");
        }
        boolean record = jobType.equals("record");
        if (smoke) {
            return new BenchConfig(workloads, rounds, 500, 20_000, 20_000, 5_000, 50, 24, Duration.ofMillis(500), record,
                    conveyorJar, javaBinary(), outDir);
        }
        return new BenchConfig(workloads, rounds, jobs, historyJobs, w5Scheduled, w5Backoff, 500, 200, Duration.ofSeconds(2), record,
                conveyorJar, javaBinary(), outDir);
    }

    private String report(BenchConfig config, ServerSettings settings, Machine machine, ResultTable table) {
        String command = "java -jar bench/target/conveyor-bench.jar "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        return "# Conveyor benchmark, " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_INSTANT)
                + "\n\nCommand: `" + command.strip() + "`\n\n"
                + "Rounds: " + config.rounds() + ", interleaved (limit, Conveyor, …); medians. W1 N = " + config.jobs()
                + ", W4 history = " + config.historyJobs() + ", W5 backlog = " + config.w5Scheduled()
                + " scheduled + " + config.w5Backoff() + " in backoff, W2 " + config.latencyJobs() + " jobs at "
                + BenchConfig.LATENCY_RATE + "/s, W3 " + config.recoveryJobs() + " jobs of "
                + config.recoveryJobTime().toMillis() + " ms; job type " + config.jobType() + ".\n\n"
                + settings.markdown() + machine.markdown() + "\n" + table.markdown();
    }

    private static void write(Path dir, String report, String csv) throws java.io.IOException {
        Files.createDirectories(dir);
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Files.writeString(dir.resolve(stamp + ".md"), report);
        Files.writeString(dir.resolve(stamp + ".csv"), csv);
        log.info("wrote {} and {}", dir.resolve(stamp + ".md"), dir.resolve(stamp + ".csv"));
    }

    /** The java binary of this JVM, to run Conveyor's processes on the same runtime. */
    private static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
