package io.binfleet.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A single-node Apache Kafka broker (KRaft: broker and controller in one) running inside this JVM on 127.0.0.1.
 * Used by tests, by {@code binfleet run} and by {@code binfleet broker}. Its threads are not daemons: always
 * {@link #close()} it, in a {@code finally} or try-with-resources, or the JVM will not exit.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean temporary;
    private final int port;
    private boolean closed;

    private EmbeddedBroker(KafkaRaftServer server, Path dataDir, boolean temporary, int port) {
        this.server = server;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.port = port;
    }

    /** A broker on a free port with its data in a temporary folder deleted on close. */
    public static EmbeddedBroker start() {
        return start(0, null);
    }

    /**
     * Starts a broker.
     *
     * @param port    the client port, or 0 for any free one
     * @param dataDir where the log lives (kept across restarts), or {@code null} for a temporary folder
     */
    public static EmbeddedBroker start(int port, Path dataDir) {
        return start(port, dataDir, Map.of());
    }

    /**
     * A broker whose client listener takes SASL/PLAIN: {@code users} maps user names to passwords; inter-broker
     * traffic uses the first user.
     */
    public static EmbeddedBroker startSasl(Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("at least one user is needed");
        }
        Map.Entry<String, String> first = users.entrySet().iterator().next();
        StringBuilder jaas =
                new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + first.getKey() + "\" password=\"" + first.getValue() + "\"");
        users.forEach((u, pw) ->
                jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
        jaas.append(';');
        Map<String, String> sasl = new HashMap<>();
        sasl.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        sasl.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        sasl.put("sasl.enabled.mechanisms", "PLAIN");
        sasl.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        sasl.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.toString());
        sasl.put(LISTENER_PROTOCOL, "SASL_PLAINTEXT");
        return start(0, null, sasl);
    }

    private static final String LISTENER_PROTOCOL = "binfleet.listener.protocol";
    /** The client id and coordinator key {@link #primeCoordinators} asks with. */
    private static final String PRIME_KEY = "binfleet-broker-start";

    /** A broker with {@code overrides} applied on top of the defaults. */
    public static EmbeddedBroker start(int port, Path dataDir, Map<String, String> overrides) {
        boolean temporary = dataDir == null;
        try {
            Path dir = temporary ? Files.createTempDirectory("binfleet-broker-") : Files.createDirectories(dataDir);
            int clientPort = port == 0 ? freePort() : port;
            Path controllerPortFile = dir.resolve("controller.port");
            int controllerPort = Files.exists(controllerPortFile)
                    ? Integer.parseInt(Files.readString(controllerPortFile).trim())
                    : freePort();
            if (!isFree(controllerPort)) {
                controllerPort = freePort();
            }
            Files.writeString(controllerPortFile, Integer.toString(controllerPort));
            Properties props = properties(
                    dir.resolve("log"),
                    clientPort,
                    controllerPort,
                    overrides.getOrDefault(LISTENER_PROTOCOL, "PLAINTEXT"));
            overrides.forEach((k, v) -> {
                if (!k.equals(LISTENER_PROTOCOL)) {
                    props.put(k, v);
                }
            });
            format(dir, props);
            long start = System.nanoTime();
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            EmbeddedBroker broker = new EmbeddedBroker(server, dir, temporary, clientPort);
            try {
                server.startup();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            if (!overrides.containsKey(LISTENER_PROTOCOL)) {
                primeCoordinators(clientPort);
            }
            LOGGER.info(
                    "embedded Kafka broker started bootstrap=127.0.0.1:{} data={} ms={}",
                    clientPort,
                    dir,
                    (System.nanoTime() - start) / 1_000_000);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's data folder", e);
        }
    }

    static Properties properties(Path logDir, int clientPort, int controllerPort, String protocol) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", protocol + "://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", protocol + "://127.0.0.1:" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "4");
        // One node is the whole cluster: fencing itself (when its own controller thread is starved past the session,
        // as on an overloaded machine) takes every partition and coordinator offline and cannot fail over to
        // anything, so the session is long. Heartbeats still go every 2 s, as by default.
        p.put("broker.session.timeout.ms", "120000");
        // Restarted on kept data after it was killed, the node finds itself still registered from before, and its
        // controller takes a new registration only once the old one's session has run out: a start must be able to
        // wait that long (Kafka's default, 60 s, is shorter than the session, and the start then fails).
        p.put("initial.broker.registration.timeout.ms", "180000");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A worker thread is assigned the tasks partitions one heartbeat after it joins, and the share group's
        // assignment is recomputed at most every assignment interval (1 s by default): with both short, `binfleet run`
        // of an 8-piece job started in 5.2-5.7 s against 6.2-6.7 s (five runs each). The heartbeats of a one-machine
        // fleet's few members cost the node next to nothing.
        p.put("group.share.heartbeat.interval.ms", "200");
        p.put("group.share.min.heartbeat.interval.ms", "200");
        p.put("group.share.assignment.interval.ms", "0");
        p.put("group.share.min.record.lock.duration.ms", "1000");
        p.put("group.consumer.heartbeat.interval.ms", "1000");
        p.put("group.consumer.min.heartbeat.interval.ms", "1000");
        // A single node serving one machine's fleet needs few background threads, and every idle thread costs
        // wake-ups (on a starved virtual machine each one costs milliseconds of CPU): the defaults are sized for a
        // production node. The request path keeps its default threads (3 network, 8 io): with 1 and 2, bench/compare's
        // workload (b) ran at efficiency 0.69 against 0.76 (six alternating runs each, on the 2-core machine).
        p.put("background.threads", "2");
        p.put("group.coordinator.threads", "1");
        p.put("num.recovery.threads.per.data.dir", "1");
        // The controller appends a no-op record this often to show it is alive; with no other voter, rarely will do.
        p.put("metadata.max.idle.interval.ms", "5000");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 << 20));
        p.put("message.max.bytes", Integer.toString(64 << 20));
        return p;
    }

    private static void format(Path dir, Properties props) throws IOException {
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            props.store(out, "binfleet embedded broker");
        }
        // the cluster id lives beside the log, so that a restart on the same data folder finds the same cluster
        Path idFile = dir.resolve("cluster.id");
        String clusterId = Files.exists(idFile)
                ? Files.readString(idFile).trim()
                : Uuid.randomUuid().toString();
        Files.writeString(idFile, clusterId);
        formatStorage(config, clusterId);
    }

    /** Formats the storage of the node configured in {@code config} for cluster {@code clusterId} (once: a formatted
     * one is left as it is). */
    static void formatStorage(Path config, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc = StorageTool.execute(
                new String[] {"format", "--cluster-id", clusterId, "--config", config.toString(), "--ignore-formatted"},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException(
                    "formatting the broker's storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Asks the broker once for each kind of coordinator (consumer groups, transactions, share-group state), so that it
     * creates their internal topics now. The first client to ask otherwise finds the coordinator not yet available and
     * waits out a retry: the share-group state's persister, inside the broker, retries after a fixed second, which
     * held back a fresh broker's first share-group assignment by 1.5-2 s. The answers (not available yet) are read
     * and dropped; a broker that cannot be asked is left as it is.
     */
    static void primeCoordinators(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            short version = ApiKeys.FIND_COORDINATOR.latestVersion();
            int correlation = 0;
            for (FindCoordinatorRequest.CoordinatorType type : FindCoordinatorRequest.CoordinatorType.values()) {
                String key = type == FindCoordinatorRequest.CoordinatorType.SHARE
                        ? PRIME_KEY + ":" + Uuid.randomUuid()
                                + ":0" // a share partition's key: group:topic id:partition
                        : PRIME_KEY;
                FindCoordinatorRequest request = new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                                .setKeyType(type.id())
                                .setCoordinatorKeys(List.of(key)))
                        .build(version);
                ByteBuffer bytes = request.serializeWithHeader(
                        new RequestHeader(ApiKeys.FIND_COORDINATOR, version, PRIME_KEY, correlation++));
                byte[] message = new byte[bytes.remaining()];
                bytes.get(message);
                out.writeInt(message.length);
                out.write(message);
            }
            out.flush();
            for (int i = 0; i < correlation; i++) {
                in.skipNBytes(in.readInt());
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.debug("coordinators not primed: {}", e.toString());
        }
    }

    /** A free TCP port on the loopback address. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits for it; deletes a temporary data folder. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
            LOGGER.info("embedded Kafka broker stopped bootstrap=127.0.0.1:{}", port);
        } finally {
            if (temporary) {
                deleteQuietly(dataDir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOGGER.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
