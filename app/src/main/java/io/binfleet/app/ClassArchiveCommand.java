package io.binfleet.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The training run of the class-data sharing archive that {@code ./binfleet} makes once after each build (JDK 17's
 * {@code -XX:ArchiveClassesAtExit}): it goes through what the commands load — every command's help, validate and plan,
 * and a small job run end to end on an embedded broker — so that the classes of the broker, Kafka Streams, the clients
 * and the plots come from the archive afterwards instead of being read from jars and verified on every start. Hidden:
 * users never call it.
 */
@Command(name = "train-class-archive", hidden = true, description = "Load what binfleet's commands load, then exit.")
final class ClassArchiveCommand implements Callable<Integer> {
    /** A job of four very short pieces: every part of a run, in a few seconds. */
    static final String JOB = """
            {"name": "class-archive",
             "system": {"Synthetic": {"points": 50}},
             "parallel": {"split": "replicas", "count": 4},
             "simulation": {"name": "synthetic", "seconds": 0.05, "spread": 0.5},
             "merge": {"method": "mean"}}
            """;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("binfleet-class-archive");
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        try {
            System.setOut(nowhere);
            System.setErr(nowhere);
            Path job = Files.writeString(dir.resolve("job.json"), JOB);
            Binfleet.execute("--help");
            for (Class<?> command : Binfleet.commands()) {
                String name = command.getAnnotation(Command.class).name();
                if (!name.equals(spec.name())) {
                    Binfleet.execute(name, "--help");
                }
            }
            int failed = 0;
            failed += Binfleet.execute("validate", job.toString());
            failed += Binfleet.execute("plan", job.toString());
            failed += Binfleet.execute(
                    "run",
                    job.toString(),
                    "--no-fleet",
                    "--no-progress",
                    "--out",
                    dir.resolve("out").toString());
            return failed == 0 ? 0 : 1;
        } finally {
            System.setOut(out);
            System.setErr(err);
            Deletes.tree(dir);
        }
    }
}
