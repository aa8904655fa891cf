package io.binfleet.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The local fleet {@code binfleet up} keeps running in the background, as its folder (the fleet's home) describes it:
 * {@code fleet.json} (written once the fleet is ready, removed when it stops), {@code fleet.log}, the broker's data
 * ({@code kafka/}, kept from one {@code up} to the next) and the reducer's state ({@code reducer-state/}).
 */
final class WarmFleet {
    static final String INFO = "fleet.json";
    static final String LOG = "fleet.log";

    private WarmFleet() {}

    /** What a running fleet wrote about itself. */
    record Info(long pid, String bootstrap, int workers, List<String> allowCommands, int metricsPort, long startedAt) {
        /** Whether its workers may start every one of {@code programs}. */
        boolean allows(Set<String> programs) {
            return allowCommands.containsAll(programs);
        }

        String describe() {
            return workers + " worker" + (workers == 1 ? "" : "s") + ", Kafka at " + bootstrap + ", pid " + pid;
        }
    }

    /** The fleet's home: {@code $BINFLEET_HOME}, else {@code ~/.binfleet}. */
    static Path home() {
        String env = System.getenv("BINFLEET_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".binfleet");
    }

    /**
     * The fleet running from {@code home}, if one is: its {@code fleet.json} names a process that is alive. A file
     * left by a fleet that was killed is removed.
     */
    static Optional<Info> running(Path home) {
        Path file = home.resolve(INFO);
        Optional<Info> described = described(file);
        if (described.isEmpty()) {
            return described;
        }
        Info info = described.get();
        if (ProcessHandle.of(info.pid()).filter(p -> isTheFleet(p, info)).isPresent()) {
            return described;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // another process may be cleaning up too
        }
        return Optional.empty();
    }

    /**
     * Whether {@code process} is the fleet that wrote {@code info}: alive, and started before it wrote it (a process
     * that took over the pid of a fleet killed long ago started after).
     */
    private static boolean isTheFleet(ProcessHandle process, Info info) {
        if (!process.isAlive()) {
            return false;
        }
        return process.info()
                .startInstant()
                .map(start -> start.toEpochMilli() <= info.startedAt())
                .orElse(true);
    }

    /** The bootstrap of the fleet running from the default home, for commands given no --bootstrap. */
    static Optional<String> defaultBootstrap() {
        return running(home()).map(Info::bootstrap);
    }

    static Info read(JsonNode n) {
        List<String> allow = new ArrayList<>();
        n.path("allowCommands").forEach(c -> allow.add(c.asText()));
        if (!n.path("pid").canConvertToLong() || !n.path("bootstrap").isTextual()) {
            throw new IllegalArgumentException("not a fleet description: " + n);
        }
        return new Info(
                n.get("pid").asLong(),
                n.get("bootstrap").asText(),
                n.path("workers").asInt(),
                List.copyOf(allow),
                n.path("metricsPort").asInt(-1),
                n.path("startedAt").asLong());
    }

    /** Writes {@code fleet.json} whole (a reader never sees half of it). */
    static void write(Path home, Info info) {
        ObjectNode n = Codec.object()
                .put("pid", info.pid())
                .put("bootstrap", info.bootstrap())
                .put("workers", info.workers())
                .put("metricsPort", info.metricsPort())
                .put("startedAt", info.startedAt());
        ArrayNode allow = n.putArray("allowCommands");
        info.allowCommands().forEach(allow::add);
        try {
            Path tmp = Files.createTempFile(home, "fleet", ".tmp");
            Files.writeString(tmp, Codec.writePretty(n));
            try {
                Files.move(tmp, home.resolve(INFO), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, home.resolve(INFO), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code file} says of a fleet; empty if there is no such file or it cannot be read. */
    private static Optional<Info> described(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(Codec.readTree(Files.readAllBytes(file))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Removes {@code fleet.json} if the process {@code pid} wrote it. */
    static void remove(Path home, long pid) {
        Path file = home.resolve(INFO);
        if (described(file).filter(info -> info.pid() == pid).isPresent()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // nothing to clean up
            }
        }
    }
}
