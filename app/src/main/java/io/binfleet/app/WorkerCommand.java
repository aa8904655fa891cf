package io.binfleet.app;

import io.binfleet.core.spec.SpecParser;
import io.binfleet.worker.Worker;
import io.binfleet.worker.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description =
                "Run a worker: take pieces from the share group, run them, publish their results. SIGTERM finishes or releases the running pieces.")
final class WorkerCommand implements Callable<Integer> {
    private static final Logger LOGGER = LoggerFactory.getLogger(WorkerCommand.class);

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "${sys:binfleet.cores}",
            description = "Pieces run at a time (default: cores, ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--id", paramLabel = "NAME", description = "Worker name in results and logs (default: host-pid).")
    String id;

    @Option(
            names = "--renew-every",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description =
                    "Renew the lock of a running piece this often (default: ${DEFAULT-VALUE}); keep it below the group's record lock.")
    double renewSeconds;

    @Option(
            names = "--allow-command",
            paramLabel = "PROGRAM",
            description =
                    "An external program this worker may run (repeatable; exact match of the command's first word). None by default.")
    List<String> allowCommands = new ArrayList<>();

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "The folder external programs run in for jobs that ship no code (default: the current one).")
    Path workDir;

    @Option(
            names = "--allow-job-code",
            description =
                    "Run the code a job ships with it (the Python modules and programs of the job's folder, packed"
                            + " at submit). Off by default: turn it on for a fleet that runs its users' own models.")
    boolean allowJobCode;

    @Option(
            names = "--code-cache",
            paramLabel = "DIR",
            description = "Where shipped code is unpacked, once per distinct folder (default: binfleet-code-USER in the"
                    + " system's temporary folder).")
    Path codeCache;

    @Option(
            names = "--rejoin-timeout",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "Stop with exit status 1 (for a supervisor to restart it) when a thread has failed this long"
                    + " to join the share group, e.g. because it is full (group.share.max.size); 0: keep trying"
                    + " (default: ${DEFAULT-VALUE}).")
    long rejoinSeconds;

    @Option(
            names = "--take-ahead",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Ask for the next piece shortly before the running one ends, by the pace it reports, so that"
                    + " it starts as soon as the running one's result is written; one more share-group member per"
                    + " thread (default: on; --no-take-ahead: off).")
    boolean takeAhead;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        if (rejoinSeconds < 0) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--rejoin-timeout must be >= 0, got " + rejoinSeconds);
        }
        String name =
                id != null ? id : hostName() + "-" + ProcessHandle.current().pid();
        try (Closer closer = new Closer()) {
            MeterRegistry metrics = kafka.metrics(closer, "worker");
            Worker worker = closer.add(new Worker(
                    kafka.connect(),
                    new WorkerConfig(
                                    name,
                                    threads,
                                    Duration.ofMillis((long) (renewSeconds * 1000)),
                                    Set.copyOf(allowCommands),
                                    workDir)
                            .withJobCode(allowJobCode, codeCache != null ? codeCache : WorkerConfig.defaultCodeCache())
                            .withRejoinTimeout(Duration.ofSeconds(rejoinSeconds))
                            .withTakeAhead(takeAhead),
                    SpecParser.builtin(),
                    metrics));
            worker.start();
            // until SIGTERM (the closer closes the worker) or a fatal error in one of its threads
            Optional<Throwable> fatal = worker.awaitStopped();
            if (fatal.isPresent()) {
                LOGGER.error(
                        "worker {} stopped on a fatal error; exiting with status 1 so that it is restarted: {}",
                        name,
                        fatal.get().toString());
                return 1;
            }
        }
        return 0;
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "worker";
        }
    }
}
