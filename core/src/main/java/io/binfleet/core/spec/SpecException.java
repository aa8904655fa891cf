package io.binfleet.core.spec;

import java.util.List;

/**
 * A job spec (or a part of one, such as a task's system) is invalid. The message holds one line per
 * problem, each naming the field path and the rule it breaks.
 */
public final class SpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public SpecException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public SpecException(String path, String rule) {
        this(List.of(path + ": " + rule));
    }

    /** Every problem, one per entry, in the order they were found. */
    public List<String> problems() {
        return problems;
    }
}
