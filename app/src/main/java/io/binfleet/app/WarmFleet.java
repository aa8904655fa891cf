package io.binfleet.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private static final JsonFactory JSON = new JsonFactory();

    private WarmFleet() {}

    /** What a running fleet wrote about itself. */
    record Info(
            long pid,
            String bootstrap,
            int workers,
            List<String> allowCommands,
            int metricsPort,
            int statusPort,
            long startedAt) {
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

    /**
     * Reads a fleet description with Jackson's streaming parser: it is read at the start of every command given no
     * --bootstrap, and the object mapper's own start (0.1 s) would be most of {@code binfleet status}'s time on a warm
     * fleet.
     */
    static Info read(byte[] json) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        List<String> allow = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a fleet description");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("allowCommands") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        allow.add(p.getText());
                    }
                } else if (value == JsonToken.VALUE_NUMBER_INT) {
                    fields.put(name, p.getLongValue());
                } else if (value == JsonToken.VALUE_STRING) {
                    fields.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
        if (!(fields.get("pid") instanceof Long pid) || !(fields.get("bootstrap") instanceof String bootstrap)) {
            throw new IllegalArgumentException("not a fleet description: " + fields);
        }
        return new Info(
                pid,
                bootstrap,
                (int) number(fields, "workers", 0),
                List.copyOf(allow),
                (int) number(fields, "metricsPort", -1),
                (int) number(fields, "statusPort", -1),
                number(fields, "startedAt", 0));
    }

    private static long number(Map<String, Object> fields, String name, long otherwise) {
        return fields.get(name) instanceof Long n ? n : otherwise;
    }

    /** Writes {@code fleet.json} whole (a reader never sees half of it). */
    static void write(Path home, Info info) {
        ObjectNode n = Codec.object()
                .put("pid", info.pid())
                .put("bootstrap", info.bootstrap())
                .put("workers", info.workers())
                .put("metricsPort", info.metricsPort())
                .put("statusPort", info.statusPort())
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
            return Optional.of(read(Files.readAllBytes(file)));
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
