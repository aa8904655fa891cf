package io.binfleet.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Kafka cluster of N real nodes on this machine: each a {@code kafka.Kafka} JVM (KRaft, broker and controller in one)
 * started as a child process from this process's class path, with its own ports and data folder. Replication is set
 * as on a production cluster of that size: factor min(3, N) for every internal topic and as the default,
 * {@code min.insync.replicas} 2 when that factor is 3 or more; broker sessions are short (6 s) so that a dead node is
 * fenced, and its partitions fail over, within seconds. For fault tests ({@link #kill}, {@link #restart}) and for
 * {@code binfleet broker --nodes N}. {@link #close()} stops every node.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(LocalCluster.class);
    /** How long a node may take to start (a JVM and a broker on a busy machine). */
    private static final Duration START = Duration.ofMinutes(3);

    /** The session of a broker with the controller: a node silent this long is fenced and its leaderships move. */
    public static final Duration SESSION = Duration.ofSeconds(6);

    private final Path dir;
    private final boolean temporary;
    private final List<Integer> clientPorts;
    private final List<Path> configs = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private boolean closed;

    private LocalCluster(Path dir, boolean temporary, List<Integer> clientPorts) {
        this.dir = dir;
        this.temporary = temporary;
        this.clientPorts = clientPorts;
    }

    /**
     * Starts {@code nodes} nodes and waits until every one has joined.
     *
     * @param dataDir where the nodes keep their data ({@code node-1}, ...), or null for a temporary folder
     * @param firstPort the first node's client port (the others follow), or 0 for free ports
     */
    public static LocalCluster start(int nodes, Path dataDir, int firstPort) {
        if (nodes < 1 || nodes > 9) {
            throw new IllegalArgumentException("a local cluster has 1 to 9 nodes, not " + nodes);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(nodes, dataDir, firstPort);
            } catch (NodeExited e) {
                // a free port picked for a node can be taken before the node binds it (by any connection's local
                // port): a cluster of temporary data and free ports starts again on others
                if (!e.portTaken() || dataDir != null || firstPort != 0 || attempt >= PORT_ATTEMPTS) {
                    throw e;
                }
                LOGGER.warn("a node of the local cluster found its port taken; starting the cluster on other ports");
            }
        }
    }

    /** How often a cluster on free ports is started again when a node finds its port taken. */
    private static final int PORT_ATTEMPTS = 3;

    /** A node that exited while the cluster waited for it, with the end of its log. */
    static final class NodeExited extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final boolean portTaken;

        NodeExited(String message, boolean portTaken) {
            super(message);
            this.portTaken = portTaken;
        }

        boolean portTaken() {
            return portTaken;
        }
    }

    private static LocalCluster startOnce(int nodes, Path dataDir, int firstPort) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("binfleet-cluster-") : Files.createDirectories(dataDir);
            List<Integer> clients = new ArrayList<>();
            List<Integer> controllers = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                clients.add(firstPort == 0 ? EmbeddedBroker.freePort() : firstPort + i);
                controllers.add(EmbeddedBroker.freePort());
            }
            LocalCluster cluster = new LocalCluster(dir, temporary, clients);
            try {
                Path idFile = dir.resolve("cluster.id");
                String clusterId = Files.exists(idFile)
                        ? Files.readString(idFile).trim()
                        : Uuid.randomUuid().toString();
                Files.writeString(idFile, clusterId);
                String voters = "";
                for (int i = 0; i < nodes; i++) {
                    voters += (i == 0 ? "" : ",") + (i + 1) + "@127.0.0.1:" + controllers.get(i);
                }
                for (int i = 0; i < nodes; i++) {
                    cluster.configs.add(cluster.configure(i, nodes, clusterId, voters, controllers.get(i)));
                    cluster.processes.add(null);
                }
                for (int i = 0; i < nodes; i++) {
                    cluster.launch(i);
                }
                cluster.awaitNodes(nodes, START);
                LOGGER.info("local Kafka cluster started nodes={} bootstrap={}", nodes, cluster.bootstrapServers());
                return cluster;
            } catch (RuntimeException | IOException e) {
                cluster.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the cluster's data folders", e);
        }
    }

    private Path configure(int i, int nodes, String clusterId, String voters, int controllerPort) throws IOException {
        Path node = Files.createDirectories(dir.resolve("node-" + (i + 1)));
        Properties p = EmbeddedBroker.properties(node.resolve("log"), clientPorts.get(i), controllerPort, "PLAINTEXT");
        int rf = Math.min(3, nodes);
        String minIsr = Integer.toString(Math.min(2, rf));
        p.put("node.id", Integer.toString(i + 1));
        p.put("controller.quorum.voters", voters);
        p.put("default.replication.factor", Integer.toString(rf));
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", Integer.toString(rf));
        p.put("transaction.state.log.replication.factor", Integer.toString(rf));
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", Integer.toString(rf));
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        // a dead node is fenced (and its partitions led elsewhere) after this long without a heartbeat
        p.put("broker.session.timeout.ms", Long.toString(SESSION.toMillis()));
        p.put("broker.heartbeat.interval.ms", "1000");
        // several voters now: the controller's liveness record as often as Kafka's default
        p.put("metadata.max.idle.interval.ms", "500");
        Path config = node.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "binfleet local cluster node " + (i + 1));
        }
        EmbeddedBroker.formatStorage(config, clusterId);
        return config;
    }

    /** Starts node {@code i} (0-based) as a child JVM. */
    private synchronized void launch(int i) {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "kafka.Kafka",
                configs.get(i).toString());
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            configs.get(i).resolveSibling("node.log").toFile()))
                    .start();
            processes.set(i, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + (i + 1), e);
        }
    }

    /** Waits until {@code count} nodes are registered and unfenced. */
    public void awaitNodes(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    if (nodes.size() >= count) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    LOGGER.debug("cluster not up yet: {}", e.toString());
                }
                for (int i = 0; i < processes.size(); i++) {
                    Process p = processes.get(i);
                    if (p != null && !p.isAlive()) {
                        Path log = configs.get(i).resolveSibling("node.log");
                        String tail = tail(log, 15);
                        throw new NodeExited(
                                "node " + (i + 1) + " exited with " + p.exitValue() + "; the end of " + log + ":\n"
                                        + tail,
                                tail.contains("Address already in use"));
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the cluster did not reach " + count + " nodes within " + timeout.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    /** The last {@code lines} lines of a node's log, without the frames of stack traces; empty if it cannot be read. */
    private static String tail(Path log, int lines) {
        try (Stream<String> all = Files.lines(log)) {
            List<String> kept = all.filter(l -> !l.startsWith("\tat ")).collect(Collectors.toList());
            return String.join("\n", kept.subList(Math.max(0, kept.size() - lines), kept.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** An admin client of this cluster (the caller closes it). */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    /** Every node's client address, comma-separated. */
    public String bootstrapServers() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public int size() {
        return clientPorts.size();
    }

    /** SIGKILL node {@code id} (1-based, its {@code node.id}); waits for the process to be gone. */
    public void kill(int id) throws InterruptedException {
        Process p = processes.get(id - 1);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        LOGGER.info("node {} killed", id);
    }

    /** Starts node {@code id} again on its data and ports. */
    public void restart(int id) {
        Process p = processes.get(id - 1);
        if (p != null && p.isAlive()) {
            throw new IllegalStateException("node " + id + " is running");
        }
        launch(id - 1);
        LOGGER.info("node {} restarted", id);
    }

    public boolean alive(int id) {
        Process p = processes.get(id - 1);
        return p != null && p.isAlive();
    }

    /** Stops every node (SIGTERM, then SIGKILL after 20 s) and deletes a temporary data folder. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        if (temporary) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                LOGGER.warn("could not delete {}: {}", dir, e.toString());
            }
        }
        LOGGER.info("local Kafka cluster stopped");
    }

    /** The node ids, 1..N. */
    public List<Integer> ids() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= size(); i++) {
            ids.add(i);
        }
        return ids;
    }
}
