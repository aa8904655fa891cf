package io.binfleet.app;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.EmbeddedBroker;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.metrics.FleetMetrics;
import io.binfleet.producer.JobSubmitter;
import io.binfleet.reducer.Reducer;
import io.binfleet.reducer.ResultFiles;
import io.binfleet.worker.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a job all-in-one: an embedded single-node Kafka broker (or --bootstrap), a reducer and "
                + "workers in this process; submit, show progress, write result.json, result.csv and plot.png.",
                "Exit code 0 only if the job ends DONE."})
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "JOB.json", description = "The job spec.")
    Path job;

    @Option(names = "--workers", paramLabel = "N", description = "Pieces run at a time (default: cores, ${DEFAULT-VALUE}).",
            defaultValue = "${sys:binfleet.cores}")
    int workers;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the result files (default: out/<jobId>).")
    Path out;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "Fail the job as STALLED after this long without a finished piece (default: ${DEFAULT-VALUE}).")
    long stallSeconds;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = {"-v", "--verbose"}, description = "Log what the broker, reducer and workers do.")
    boolean verbose;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        JobSpec spec = Specs.read(job, new java.io.PrintWriter(err, true));
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
        SpecParser parser = SpecParser.builtin();
        Path state = Files.createTempDirectory("binfleet-reducer-");
        try (Closer closer = new Closer()) {
            closer.add(() -> Deletes.tree(state));
            String bootstrap = null;
            if (!kafka.hasBootstrap()) {
                bootstrap = closer.add(EmbeddedBroker.start()).bootstrapServers();
            }
            KafkaSettings settings = kafka.settings(bootstrap);
            FleetMetrics metrics = kafka.metrics(closer, "run");
            Reducer reducer = closer.add(new Reducer(settings, new Reducer.Config(state, Duration.ofSeconds(stallSeconds), null), parser,
                    metrics));
            reducer.start();
            // a user's own job may run its own command, in the job file's folder
            com.fasterxml.jackson.databind.JsonNode command = spec.simulationJson().path("command");
            java.util.Set<String> allowed = command.isArray() && command.size() > 0 ? java.util.Set.of(command.get(0).asText())
                    : java.util.Set.of();
            Path folder = job.toAbsolutePath().getParent();
            Worker worker = closer.add(new Worker(settings, new Worker.Config("local-" + ProcessHandle.current().pid(), workers, 5,
                    Duration.ofSeconds(10), allowed, folder), parser, metrics));
            worker.start();
            JobWatcher watcher = closer.add(new JobWatcher(settings).start());
            JobSubmitter submitter = closer.add(new JobSubmitter(settings, parser, metrics));
            reducer.awaitRunning(Duration.ofSeconds(60));
            if (!worker.awaitAssigned(Duration.ofSeconds(30))) {
                err.println("warning: the workers have not joined the share group yet; the job may wait for them");
            }
            double startup = (System.nanoTime() - start) / 1e9;
            JobSubmitter.Submitted submitted = submitter.submit(spec);
            err.printf("%s: %d pieces on %d workers (%s in %.1f s)%n", submitted.jobId(), submitted.pieces(), workers,
                    bootstrap == null ? "Kafka at " + settings.bootstrap() : "embedded broker started", startup);
            JobEvent end = JobFollower.follow(watcher, submitted.jobId(), spec.name(), submitted.pieces(), !noProgress,
                    Duration.ofDays(365));
            if (end.state() != JobEvent.State.DONE) {
                JobFollower.summary(err, end, (end.at() - submitted.submittedAt()));
                return 2;
            }
            Optional<JobResult> result = Results.fetch(settings, submitted.jobId(), Duration.ofSeconds(30));
            if (result.isEmpty()) {
                err.println(submitted.jobId() + " is DONE but its result could not be read");
                return 2;
            }
            Path dir = out != null ? out : ResultFiles.folder(Path.of("out"), submitted.jobId());
            ResultFiles.write(dir, result.get());
            JobFollower.summary(err, end, result.get().completedAt() - result.get().submittedAt());
            err.printf("wrote %s/{result.json,result.csv,plot.png}; wall %.1f s including %.1f s start-up%n", dir,
                    (System.nanoTime() - start) / 1e9, startup);
            return 0;
        }
    }
}
