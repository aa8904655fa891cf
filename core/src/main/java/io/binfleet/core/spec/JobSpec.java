package io.binfleet.core.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.Split;
import io.binfleet.core.spi.SystemModel;

import java.util.List;
import java.util.Objects;

/**
 * A validated job spec: every part configured by its plugin. Build one with {@link SpecParser}; its
 * {@link #toJson()} parses back to an equal spec.
 *
 * @param seed    {@code simulation.seed}, or {@code null} to reseed every piece from OS entropy
 * @param retries {@code simulation.retries}: how many times a piece whose simulation failed is run again
 * @param checkpointSeconds {@code simulation.checkpointSeconds}: how often a running piece saves its state (0: never)
 */
public record JobSpec(
        String name,
        SystemModel system,
        Split split,
        Simulation simulation,
        Merge merge,
        Long seed,
        int retries,
        int checkpointSeconds) {
    /**
     * The simulation fields every simulation has, which binfleet reads itself ({@link SpecParser}); a simulation that
     * passes its other fields on to user code leaves these out.
     */
    public static final List<String> SIMULATION_FIELDS = List.of("name", "seed", "retries", "checkpointSeconds");

    /** Retries of a failed piece unless the spec says otherwise. */
    public static final int DEFAULT_RETRIES = 2;
    /** The most retries a spec may ask for (the share group's largest delivery limit, less the first run). */
    public static final int MAX_RETRIES = 9;
    /** How often a running piece saves a checkpoint unless the spec says otherwise. */
    public static final int DEFAULT_CHECKPOINT_SECONDS = 60;
    /** The longest checkpoint interval a spec may ask for: a day. */
    public static final int MAX_CHECKPOINT_SECONDS = 86_400;

    public JobSpec(String name, SystemModel system, Split split, Simulation simulation, Merge merge, Long seed) {
        this(name, system, split, simulation, merge, seed, DEFAULT_RETRIES, DEFAULT_CHECKPOINT_SECONDS);
    }

    public JobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(simulation, "simulation");
        Objects.requireNonNull(merge, "merge");
    }

    /** The system in its spec form, {@code {"Type": {state}}}. */
    public ObjectNode systemJson() {
        ObjectNode s = Codec.object();
        s.set(system.type(), system.params());
        return s;
    }

    /** How many times a piece of the simulation in spec form {@code simulation} is retried after a failure. */
    public static int retries(com.fasterxml.jackson.databind.JsonNode simulation) {
        return simulation.path("retries").asInt(DEFAULT_RETRIES);
    }

    /** How often a piece of the simulation in spec form {@code simulation} saves a checkpoint, in seconds; 0: never. */
    public static int checkpointSeconds(com.fasterxml.jackson.databind.JsonNode simulation) {
        return simulation.path("checkpointSeconds").asInt(DEFAULT_CHECKPOINT_SECONDS);
    }

    /** The simulation in its spec form, {@code {"name": ..., params..., "seed"?, "retries"?}}. */
    public ObjectNode simulationJson() {
        ObjectNode s = Codec.object().put("name", simulation.type());
        s.setAll(simulation.params());
        if (seed != null) {
            s.put("seed", seed);
        }
        if (retries != DEFAULT_RETRIES) {
            s.put("retries", retries);
        }
        if (checkpointSeconds != DEFAULT_CHECKPOINT_SECONDS) {
            s.put("checkpointSeconds", checkpointSeconds);
        }
        return s;
    }

    /** The whole spec, defaults filled in. */
    public ObjectNode toJson() {
        ObjectNode root = Codec.object().put("name", name);
        root.set("system", systemJson());
        ObjectNode parallel = Codec.object().put("split", split.type());
        parallel.setAll(split.params());
        root.set("parallel", parallel);
        root.set("simulation", simulationJson());
        ObjectNode m = Codec.object().put("method", merge.type());
        m.setAll(merge.params());
        root.set("merge", m);
        return root;
    }
}
