package io.binfleet.app;

import io.binfleet.core.spec.SpecParser;
import io.binfleet.reducer.Reducer;
import io.micrometer.core.instrument.MeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(
        name = "reducer",
        mixinStandardHelpOptions = true,
        description =
                "Run the reducer: collect every piece of every job, merge, publish results (Kafka Streams, exactly once).")
final class ReducerCommand implements Callable<Integer> {
    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Also write OUT/<jobId>/result.json, result.csv, plot.png.")
    Path out;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where the reducer keeps its stores (env BINFLEET_STATE_DIR; default: the first of "
                    + ".binfleet/reducer-state/0, /1, ... that no other reducer holds, so that a standby reducer can be "
                    + "started in the same folder and a restarted one finds its own stores).")
    Path stateDir;

    @Option(
            names = "--stall-timeout",
            paramLabel = "SECONDS",
            defaultValue = "1800",
            description = "Fail a job as STALLED after this long without a finished piece or a report from a running "
                    + "one (default: ${DEFAULT-VALUE}).")
    long stallSeconds;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (Closer closer = new Closer()) {
            closer.add(stopped::countDown);
            MeterRegistry metrics = kafka.metrics(closer, "reducer");
            Path stateDir = this.stateDir;
            if (stateDir == null) {
                String env = System.getenv("BINFLEET_STATE_DIR");
                stateDir = env != null && !env.isBlank()
                        ? Path.of(env)
                        : closer.add(StateDirs.claim()).dir();
            }
            Reducer reducer = closer.add(new Reducer(
                    kafka.connect(),
                    new Reducer.Config(stateDir, Duration.ofSeconds(stallSeconds), out),
                    SpecParser.builtin(),
                    metrics));
            reducer.start();
            // until stopped (Ctrl-C, SIGTERM), or until the reducer stops by itself: then exit non-zero, so that
            // whatever supervises the service restarts it
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                Optional<Throwable> failure = reducer.failure();
                if (failure.isPresent()) {
                    System.err.println("reducer stopped: " + failure.get());
                    return 1;
                }
            }
        }
        return 0;
    }
}
