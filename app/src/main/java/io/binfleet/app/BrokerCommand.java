package io.binfleet.app;

import io.binfleet.broker.EmbeddedBroker;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description =
                "Run a standalone embedded single-node Kafka broker for a local fleet, until stopped (Ctrl-C, SIGTERM).")
final class BrokerCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            paramLabel = "P",
            defaultValue = "9092",
            description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "Where the broker keeps its data across restarts (default: a temporary folder, deleted on exit).")
    Path data;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = "binfleet.",
            description = "Topic prefix to create.")
    String prefix;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (Closer closer = new Closer()) {
            EmbeddedBroker broker = closer.add(EmbeddedBroker.start(port, data));
            closer.add(stopped::countDown);
            KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), new Topics(prefix), Map.of());
            try (Admin admin = Admin.create(settings.client())) {
                settings.topics().ensure(admin);
            }
            System.err.println("broker ready: --bootstrap " + broker.bootstrapServers()
                    + (data == null ? " (temporary data)" : " (data in " + data + ")"));
            stopped.await();
        }
        return 0;
    }
}
