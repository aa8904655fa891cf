package io.binfleet.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        description = "Validate a job file and show the pieces its split makes, without publishing anything.")
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB.json", description = "The job spec.")
    Path job;

    @Option(names = "--json", description = "Print the pieces' task args as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        JobSpec s = Specs.read(job, spec.commandLine().getErr());
        if (s == null) {
            return 1;
        }
        List<Plan.PlannedPiece> pieces = Plan.of(s);
        List<ObjectNode> own = s.split().systems(); // empty unless each piece has a system of its own
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode array = Codec.array();
            for (Plan.PlannedPiece p : pieces) {
                ObjectNode args = p.args().deepCopy();
                if (!own.isEmpty()) {
                    args.set("system", own.get(p.index()));
                }
                array.add(args);
            }
            out.println(Codec.writeString(array));
            return 0;
        }
        out.printf(
                "%s: %d pieces (%s split of %s, simulation %s, merge %s)%n",
                s.name(),
                pieces.size(),
                s.split().type(),
                s.system().type(),
                s.simulation().type(),
                s.merge().type());
        out.printf("%6s  %-20s  %s%n", "piece", "seed", "args");
        for (Plan.PlannedPiece p : pieces) {
            out.printf(
                    "%6d  %-20s  %s%s%n",
                    p.index(),
                    p.seed() == null ? "(entropy)" : p.seed().toString(),
                    Codec.writeString(p.args()),
                    own.isEmpty() ? "" : "  on " + Codec.writeString(own.get(p.index())));
        }
        return 0;
    }
}
