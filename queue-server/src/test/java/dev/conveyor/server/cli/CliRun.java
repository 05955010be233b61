package dev.conveyor.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the real {@code conveyor} command line, with what it printed and its exit code. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        return of(new StringWriter(), args);
    }

    /** Runs with {@code out} as standard output, for tests that read it while the command runs. */
    static CliRun of(StringWriter out, String... args) {
        CommandLine commandLine = Conveyor.commandLine();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
