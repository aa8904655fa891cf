package io.binfleet.app;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecException;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultWaiter;
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
import java.util.concurrent.CompletableFuture;

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

    @Option(names = "--no-fleet", description = "Start a fleet for this job even when `binfleet up` keeps one running.")
    boolean noFleet;

    @Mixin
    KafkaOptions kafka;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    /**
     * The warm fleet of {@code binfleet up} to run on, if one is up and may run this job: not with --bootstrap or
     * --no-fleet, and not a job that needs a program the fleet's workers may not start.
     */
    private Optional<WarmFleet.Info> warmFleet(JobSpec spec, PrintStream err) {
        if (kafka.hasBootstrap() || noFleet) {
            return Optional.empty();
        }
        Optional<WarmFleet.Info> info = WarmFleet.running(WarmFleet.home());
        if (info.isEmpty()) {
            return info;
        }
        java.util.Set<String> missing =
                new java.util.TreeSet<>(spec.simulation().programs());
        missing.removeAll(info.get().allowCommands());
        if (!missing.isEmpty()) {
            err.println("the local fleet may not start " + String.join(", ", missing) + " (`binfleet up"
                    + " --allow-command PROGRAM` allows it): running this job on a fleet of its own");
            return Optional.empty();
        }
        for (String own : java.util.List.of("--workers", "--stall-timeout", "--verbose", "--metrics-port")) {
            if (command.commandLine().getParseResult().hasMatchedOption(own)) {
                err.println(own + " applies to a fleet of the job's own: the local fleet of `binfleet up` keeps its"
                        + " settings (--no-fleet starts one)");
            }
        }
        return info;
    }

    private static void warmUpPlots() {
        try {
            ResultFiles.warmUp();
        } catch (RuntimeException | Error e) {
            // only a head start: the plot is drawn (and any problem reported) when the result is written
        }
    }

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
        Optional<WarmFleet.Info> warm = warmFleet(spec, err);
        try (Closer closer = new Closer()) {
            Fleet fleet;
            // the result waiter is made beside the rest of start-up
            CompletableFuture<ResultWaiter> waiting;
            String where;
            int pieceSlots;
            if (warm.isPresent()) {
                KafkaSettings warmSettings = kafka.settings(warm.get().bootstrap());
                waiting = CompletableFuture.supplyAsync(() -> new ResultWaiter(warmSettings));
                fleet = closer.add(new WarmFleetClient(warm.get(), warmSettings));
                where = "the local fleet of `binfleet up`: " + warm.get().describe();
                pieceSlots = warm.get().workers();
            } else {
                LocalFleet.Builder builder = LocalFleet.builder()
                        .workers(1, workers)
                        .stallTimeout(Duration.ofSeconds(stallSeconds))
                        .commands(spec.simulation().programs(), folder)
                        // the job's first pieces run while the reducer joins its group
                        .awaitReducer(false);
                if (kafka.hasBootstrap()) {
                    builder.settings(kafka.settings(null));
                }
                builder.registry(kafka.metrics(closer, "run"));
                LocalFleet local = closer.add(builder.start());
                waiting = CompletableFuture.supplyAsync(() -> new ResultWaiter(local.settings()));
                if (!local.awaitWorkers(Duration.ofSeconds(30))) {
                    err.println("warning: the workers have not joined the share group yet; the job may wait for them");
                }
                fleet = local;
                where = local.embedded()
                        ? "embedded broker started"
                        : "Kafka at " + local.settings().bootstrap();
                pieceSlots = workers;
            }
            // made before the submit, so that it sees the result as soon as it is published
            ResultWaiter waiter = closer.add(waiting.join());
            double startup = (System.nanoTime() - start) / 1e9;
            JobSubmitter.Submitted submitted;
            try {
                // on a Kafka of its own, other workers may take pieces: the job's code goes with it
                submitted = kafka.hasBootstrap() || warm.isPresent() ? fleet.submit(spec, folder) : fleet.submit(spec);
            } catch (SpecException e) {
                err.println(job + ": " + e.getMessage());
                return 1;
            }
            err.printf(
                    "%s: %d pieces on %d workers (%s in %.1f s)%n",
                    submitted.jobId(), submitted.pieces(), pieceSlots, where, startup);
            // while the job runs: what drawing its plot needs (half a second in a fresh JVM)
            Thread warmUp = new Thread(RunCommand::warmUpPlots, "binfleet-plot-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
            JobEvent end;
            try {
                end = JobFollower.follow(
                        fleet.watcher(),
                        submitted.jobId(),
                        spec.name(),
                        submitted.pieces(),
                        !noProgress,
                        Duration.ofDays(365),
                        fleet::problem);
            } catch (JobFollower.FleetStopped e) {
                err.printf(
                        "%s cannot finish: %s%n",
                        submitted.jobId(),
                        e.getMessage()
                                + (warm.isPresent()
                                        ? " (the fleet's log: "
                                                + WarmFleet.home().resolve(WarmFleet.LOG) + ")"
                                        : " (run again with --verbose for the services' logs)"));
                return 2;
            }
            if (end.state() != JobEvent.State.DONE) {
                JobFollower.summary(err, end, (end.at() - submitted.submittedAt()));
                // the pieces it had finished, merged, if they merge: finished work is not thrown away
                Optional<JobResult> partial = fleet.result(submitted.jobId(), Duration.ofSeconds(5));
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
            Optional<JobResult> result = waiter.await(submitted.jobId(), Duration.ofSeconds(30));
            if (result.isEmpty()) {
                result = fleet.result(submitted.jobId(), Duration.ofMinutes(2));
            }
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
