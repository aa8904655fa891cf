package io.binfleet.app;

import io.binfleet.core.spec.JobSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check a job file and print every problem; exit 1 if there is any.")
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB.json", description = "The job spec.")
    Path job;

    @Override
    public Integer call() {
        JobSpec s = Specs.read(job, spec.commandLine().getErr());
        if (s == null) {
            return 1;
        }
        spec.commandLine()
                .getOut()
                .println(job + ": valid (" + s.split().pieces().size() + " pieces, "
                        + s.system().type() + ", " + s.simulation().type() + ", merge "
                        + s.merge().type() + ")");
        return 0;
    }
}
