package io.binfleet.app;

import io.binfleet.kafka.metrics.MetricsServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start a warm local fleet in the background; `run` and the clients use it until `binfleet down`.",
            "An embedded Kafka broker (its data kept in"
                    + " HOME/kafka), a reducer and workers, in one process on this machine. While it is up,"
                    + " `binfleet run` submits to it instead of starting a fleet of its own (saving the start-up),"
                    + " and status, submit, result and cancel use it when given no --bootstrap. `binfleet down` stops"
                    + " it.",
            "HOME is $BINFLEET_HOME, else ~/.binfleet; the fleet logs to HOME/fleet.log."
        })
final class UpCommand implements Callable<Integer> {
    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "Pieces run at a time (default: cores, ${DEFAULT-VALUE}).",
            defaultValue = "${sys:binfleet.cores}")
    int workers;

    @Option(
            names = "--allow-command",
            paramLabel = "PROGRAM",
            description = "A program the fleet's workers may start for a job (repeatable, e.g. python3 for jobs with"
                    + " a Python simulation). `binfleet run` runs a job that needs any other program in a fleet of its"
                    + " own, as without `up`.")
    List<String> allowCommands = new ArrayList<>();

    @Option(
            names = "--port",
            paramLabel = "P",
            defaultValue = "0",
            description = "The broker's client port on 127.0.0.1 (default: a free one).")
    int port;

    @Option(
            names = "--metrics-port",
            paramLabel = "P",
            defaultValue = "-1",
            description = "Serve the fleet's Prometheus metrics on http://127.0.0.1:P/metrics (off by default).")
    int metricsPort;

    @Option(
            names = "--stall-timeout",
            paramLabel = "SECONDS",
            defaultValue = "1800",
            description = "Fail a job as STALLED after this long without a finished piece (default: ${DEFAULT-VALUE}).")
    long stallSeconds;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "300",
            description = "How long to wait for the fleet to be ready (default: ${DEFAULT-VALUE}; after a fleet was"
                    + " killed, its broker waits out its old registration first, about 2 minutes).")
    long timeoutSeconds;

    @Option(names = "--foreground", description = "Run the fleet in this process until stopped (Ctrl-C, SIGTERM).")
    boolean foreground;

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (workers < 1) {
            err.println("--workers must be at least 1, got " + workers);
            return 1;
        }
        Path home = WarmFleet.home();
        Files.createDirectories(home);
        Optional<WarmFleet.Info> running = WarmFleet.running(home);
        if (running.isPresent()) {
            err.println("a local fleet is already up (" + running.get().describe() + "); `binfleet down` stops it");
            return foreground ? 1 : 0;
        }
        return foreground ? runHere(home, err) : startInBackground(home, err);
    }

    /** Starts {@code binfleet up --foreground} as a process of its own and waits until it says it is ready. */
    private int startInBackground(Path home, PrintStream err) throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<String> command = new ArrayList<>();
        // a session of its own, so that closing this terminal does not stop the fleet
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // the JVM options `up` was given (BINFLEET_JAVA_OPTS: heap, say) are the fleet's too
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Binfleet.class.getName());
        command.add("up");
        command.add("--foreground");
        command.add("--workers=" + workers);
        command.add("--port=" + port);
        command.add("--metrics-port=" + metricsPort);
        command.add("--stall-timeout=" + stallSeconds);
        allowCommands.forEach(c -> command.add("--allow-command=" + c));
        Path log = home.resolve(WarmFleet.LOG);
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        boolean told = false;
        while (System.nanoTime() < deadline) {
            if (!told && System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
                err.println("still starting (a fleet restarted after it was killed waits out its broker's old"
                        + " registration, about 2 minutes; " + log + " says what it does)");
                told = true;
            }
            Optional<WarmFleet.Info> info = WarmFleet.running(home);
            if (info.isPresent()) {
                err.printf(
                        "local fleet up in %.1f s: %s%s; log %s%n`binfleet run JOB.json` now uses it;"
                                + " `binfleet down` stops it%n",
                        (System.nanoTime() - start) / 1e9,
                        info.get().describe(),
                        info.get().metricsPort() >= 0
                                ? ", metrics on http://127.0.0.1:" + info.get().metricsPort() + "/metrics"
                                : "",
                        log);
                return 0;
            }
            if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                err.println(
                        "the local fleet did not start (exit " + process.exitValue() + "); the end of " + log + ":");
                List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> err.println("  " + l));
                return 1;
            }
        }
        process.destroy();
        err.println("the local fleet was not ready within " + timeoutSeconds + " s; stopped it (see " + log + ")");
        return 1;
    }

    /** The fleet itself: runs until this process is stopped. */
    private int runHere(Path home, PrintStream err) throws IOException, InterruptedException {
        // one fleet per home: the lock is held while this process lives, whatever stops it
        FileChannel lockFile =
                FileChannel.open(home.resolve("fleet.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            err.println("another local fleet is starting from " + home);
            lockFile.close();
            return 1;
        }
        long pid = ProcessHandle.current().pid();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Closer closer = new Closer()) {
            closer.add(lockFile);
            closer.add(stopped::countDown);
            MeterRegistry registry = metricsPort >= 0
                    ? closer.add(MetricsServer.start("127.0.0.1", metricsPort, "fleet"))
                            .registry()
                    : new SimpleMeterRegistry();
            LocalFleet fleet = closer.add(LocalFleet.builder()
                    .embeddedBroker(port, home.resolve("kafka"))
                    .reducerState(home.resolve("reducer-state"))
                    .workers(1, workers)
                    .workerId("fleet-" + pid)
                    .stallTimeout(Duration.ofSeconds(stallSeconds))
                    .commands(java.util.Set.copyOf(allowCommands), Path.of("").toAbsolutePath())
                    .registry(registry)
                    .start());
            // on the way down, first stop new jobs from coming: the description goes before the fleet does
            closer.add(() -> WarmFleet.remove(home, pid));
            if (!fleet.awaitWorkers(Duration.ofSeconds(60))) {
                err.println("warning: the workers have not joined the share group within 60 s");
            }
            FleetServer status = closer.add(FleetServer.start(fleet.settings(), fleet.watcher(), fleet::submit));
            WarmFleet.write(
                    home,
                    new WarmFleet.Info(
                            pid,
                            fleet.settings().bootstrap(),
                            workers,
                            List.copyOf(allowCommands),
                            metricsPort,
                            status.port(),
                            System.currentTimeMillis()));
            err.println("local fleet ready: " + fleet.settings().bootstrap() + ", " + workers + " workers");
            while (!stopped.await(1, TimeUnit.SECONDS)) {
                Optional<String> problem = fleet.problem();
                if (problem.isPresent()) {
                    err.println("local fleet stopping: " + problem.get());
                    return 1;
                }
            }
        }
        return 0;
    }
}
