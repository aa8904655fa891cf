package io.binfleet.app;

import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.metrics.FleetMetrics;
import io.binfleet.worker.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run a worker: take pieces from the share group, run them, publish their results. SIGTERM finishes or releases the running pieces.")
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--threads", paramLabel = "N", defaultValue = "${sys:binfleet.cores}",
            description = "Pieces run at a time (default: cores, ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--id", paramLabel = "NAME", description = "Worker name in results and logs (default: host-pid).")
    String id;

    @Option(names = "--renew-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "Renew the lock of a running piece this often (default: ${DEFAULT-VALUE}); keep it below the group's record lock.")
    double renewSeconds;

    @Option(names = "--delivery-limit", paramLabel = "N", defaultValue = "5",
            description = "The share group's delivery count limit; the last attempt's failure is final (default: ${DEFAULT-VALUE}).")
    int deliveryLimit;

    @Option(names = "--allow-command", paramLabel = "PROGRAM",
            description = "An external program this worker may run (repeatable; exact match of the command's first word). None by default.")
    java.util.List<String> allowCommands = new java.util.ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = ".",
            description = "The folder external programs run in (default: the current one).")
    java.nio.file.Path workDir;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        String name = id != null ? id : hostName() + "-" + ProcessHandle.current().pid();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Closer closer = new Closer()) {
            closer.add(stopped::countDown);
            FleetMetrics metrics = kafka.metrics(closer, "worker");
            Worker worker = closer.add(new Worker(kafka.connect(),
                    new Worker.Config(name, threads, deliveryLimit, Duration.ofMillis((long) (renewSeconds * 1000)),
                            java.util.Set.copyOf(allowCommands), workDir), SpecParser.builtin(),
                    metrics));
            worker.start();
            stopped.await();
        }
        return 0;
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "worker";
        }
    }
}
