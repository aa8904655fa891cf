package io.binfleet.app;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecException;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.reducer.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run a job all-in-one: an embedded single-node Kafka broker (or --bootstrap), a reducer and "
                    + "workers in this process; submit, show progress, write result.json, result.csv and plot.png.",
            "Exit code 0 only if the job ends DONE."
        })
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "JOB.json", description = "The job spec.")
    Path job;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "Pieces run at a time (default: cores, ${DEFAULT-VALUE}).",
            defaultValue = "${sys:binfleet.cores}")
    int workers;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Where to write the result files (default: out/<jobId>).")
    Path out;

    @Option(
            names = "--stall-timeout",
            paramLabel = "SECONDS",
            defaultValue = "1800",
            description =
                    "Fail the job as STALLED after this long without a finished piece (default: ${DEFAULT-VALUE}).")
    long stallSeconds;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(
            names = {"-v", "--verbose"},
            description = "Log what the broker, reducer and workers do.")
    boolean verbose;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        JobSpec spec = Specs.read(job, new PrintWriter(err, true));
        if (spec == null) {
            return 1;
        }
        if (workers < 1) {
            err.println("--workers must be at least 1, got " + workers);
            return 1;
        }
        if (!verbose) {
            Logs.quiet();
        }
        long start = System.nanoTime();
        // a user's own job may run the programs its simulation declares, in the job file's folder
        Path folder = job.toAbsolutePath().getParent();
        LocalFleet.Builder fleet = LocalFleet.builder()
                .workers(1, workers)
                .stallTimeout(Duration.ofSeconds(stallSeconds))
                .commands(spec.simulation().programs(), folder);
        try (Closer closer = new Closer()) {
            if (kafka.hasBootstrap()) {
                fleet.settings(kafka.settings(null));
            }
            fleet.registry(kafka.metrics(closer, "run"));
            LocalFleet local = closer.add(fleet.start());
            KafkaSettings settings = local.settings();
            if (!local.awaitWorkers(Duration.ofSeconds(30))) {
                err.println("warning: the workers have not joined the share group yet; the job may wait for them");
            }
            double startup = (System.nanoTime() - start) / 1e9;
            JobSubmitter.Submitted submitted;
            try {
                // on a Kafka of its own, other workers may take pieces: the job's code goes with it
                submitted = kafka.hasBootstrap() ? local.submit(spec, folder) : local.submit(spec);
            } catch (SpecException e) {
                err.println(job + ": " + e.getMessage());
                return 1;
            }
            err.printf(
                    "%s: %d pieces on %d workers (%s in %.1f s)%n",
                    submitted.jobId(),
                    submitted.pieces(),
                    workers,
                    local.embedded() ? "embedded broker started" : "Kafka at " + settings.bootstrap(),
                    startup);
            JobEvent end;
            try {
                end = JobFollower.follow(
                        local.watcher(),
                        submitted.jobId(),
                        spec.name(),
                        submitted.pieces(),
                        !noProgress,
                        Duration.ofDays(365),
                        local::problem);
            } catch (JobFollower.FleetStopped e) {
                err.printf(
                        "%s cannot finish: %s (run again with --verbose for the services' logs)%n",
                        submitted.jobId(), e.getMessage());
                return 2;
            }
            if (end.state() != JobEvent.State.DONE) {
                JobFollower.summary(err, end, (end.at() - submitted.submittedAt()));
                // the pieces it had finished, merged, if they merge: finished work is not thrown away
                Optional<JobResult> partial = local.result(submitted.jobId(), Duration.ofSeconds(5));
                if (partial.isPresent() && partial.get().partial()) {
                    Path dir = out != null ? out : ResultFiles.folder(Path.of("out"), submitted.jobId());
                    ResultFiles.write(dir, partial.get(), spec.simulation().chart());
                    err.printf(
                            "wrote the partial result of the %d pieces that finished (missing: %s) to"
                                    + " %s/{result.json,result.csv,plot.png}%n",
                            partial.get().pieces().size(),
                            JobFollower.ranges(partial.get().missing()),
                            dir);
                }
                return 2;
            }
            Optional<JobResult> result = local.result(submitted.jobId(), Duration.ofMinutes(2));
            if (result.isEmpty()) {
                err.println(submitted.jobId() + " is DONE but its result could not be read");
                return 2;
            }
            Path dir = out != null ? out : ResultFiles.folder(Path.of("out"), submitted.jobId());
            ResultFiles.write(dir, result.get(), spec.simulation().chart());
            JobFollower.summary(
                    err, end, result.get().completedAt() - result.get().submittedAt());
            JobFollower.gaps(err, result.get());
            err.printf(
                    "wrote %s/{result.json,result.csv,plot.png}; wall %.1f s including %.1f s start-up%n",
                    dir, (System.nanoTime() - start) / 1e9, startup);
            return 0;
        }
    }
}
