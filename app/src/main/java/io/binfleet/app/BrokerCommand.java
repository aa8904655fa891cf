package io.binfleet.app;

import io.binfleet.broker.EmbeddedBroker;
import io.binfleet.broker.LocalCluster;
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
                "Run a standalone Kafka broker for a local fleet (one inside this process, or --nodes N as a real "
                        + "cluster of child processes), until stopped (Ctrl-C, SIGTERM).")
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

    @Option(
            names = "--nodes",
            paramLabel = "N",
            defaultValue = "1",
            description =
                    "Nodes: 1 (default) runs one broker inside this process; 2 to 9 start that many Kafka nodes as "
                            + "child processes on ports P, P+1, ... (KRaft, replication min(3, N), min.insync.replicas 2 from "
                            + "3 nodes; data in DIR/node-i), a real cluster to fail over on.")
    int nodes;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 9) {
            System.err.println("--nodes must be 1 to 9, got " + nodes);
            return 2;
        }
        if (nodes > 1) {
            return cluster();
        }
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

    /** N nodes as child processes until this one is stopped (they are stopped with it). */
    private int cluster() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (Closer closer = new Closer()) {
            LocalCluster cluster = closer.add(LocalCluster.start(nodes, data, port));
            closer.add(stopped::countDown);
            KafkaSettings settings = new KafkaSettings(cluster.bootstrapServers(), new Topics(prefix), Map.of());
            Topics.Replication replication;
            try (Admin admin = Admin.create(settings.client())) {
                replication = settings.topics().ensure(admin);
            }
            System.err.println("cluster of " + nodes + " nodes ready: --bootstrap " + cluster.bootstrapServers()
                    + " (replication " + replication.factor() + ", min.insync.replicas "
                    + replication.minInsyncReplicas()
                    + (data == null ? ", temporary data)" : ", data in " + data + ")"));
            stopped.await();
        }
        return 0;
    }
}
