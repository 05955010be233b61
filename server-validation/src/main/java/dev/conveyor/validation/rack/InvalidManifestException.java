package dev.conveyor.validation.rack;

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

    private static String message(List<ManifestProblem> problems) {
        StringBuilder message = new StringBuilder("rack manifest has ").append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        problems.forEach(problem -> message.append("\n  ").append(problem));
        return message.toString();
    }
}
