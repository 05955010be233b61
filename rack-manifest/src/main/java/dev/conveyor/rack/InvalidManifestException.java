package dev.conveyor.rack;

import dev.conveyor.core.ConveyorException;
import java.util.List;

/** A manifest that cannot be accepted, with every problem found. Nothing was created from it. */
public final class InvalidManifestException extends ConveyorException {
    private final List<ManifestProblem> problems;

    public InvalidManifestException(List<ManifestProblem> problems) {
        this(problems, null);
    }

    public InvalidManifestException(List<ManifestProblem> problems, Throwable cause) {
        super(message(problems), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid manifest has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ManifestProblem> problems() {
        return problems;
    }

    /** The message lists this many problems at most, so that it stays a readable (and sendable) size. */
    static final int MAX_PROBLEMS_LISTED = 20;

    private static String message(List<ManifestProblem> problems) {
        StringBuilder message = new StringBuilder("rack manifest has ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        problems.stream().limit(MAX_PROBLEMS_LISTED).forEach(problem -> message.append("\n  ").append(problem));
        if (problems.size() > MAX_PROBLEMS_LISTED) {
            message.append("\n  … and ").append(problems.size() - MAX_PROBLEMS_LISTED).append(" more");
        }
        return message.toString();
    }
}
