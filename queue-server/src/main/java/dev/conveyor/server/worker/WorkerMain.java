package dev.conveyor.server.worker;

import picocli.CommandLine;

/** Runs {@link WorkerCommand} alone: {@code java -cp … dev.conveyor.server.worker.WorkerMain --pool default:8 …}. */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WorkerCommand()).execute(args));
    }
}
