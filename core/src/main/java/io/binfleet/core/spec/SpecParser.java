package io.binfleet.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.codec.CodecException;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeType;
import io.binfleet.core.spi.Plugins;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SimulationType;
import io.binfleet.core.spi.Split;
import io.binfleet.core.spi.SplitType;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.core.spi.SystemType;
import io.binfleet.core.split.EnergyWindowsSplit;
import io.binfleet.core.split.GridSplit;
import io.binfleet.core.split.WalkersSplit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Parses and validates job specs (DESIGN §1) against a set of {@link Plugins}. Every problem is collected
 * and thrown at once in a {@link SpecException}. Thread-safe.
 */
public final class SpecParser {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The name of a job whose spec gives none and comes from no file. */
    public static final String DEFAULT_NAME = "job";

    private static final SpecParser BUILTIN = new SpecParser(Plugins.builtin());

    private final Plugins plugins;
    private final Path baseDir;

    public SpecParser(Plugins plugins) {
        this(plugins, Path.of("").toAbsolutePath());
    }

    private SpecParser(Plugins plugins, Path baseDir) {
        this.plugins = Objects.requireNonNull(plugins);
        this.baseDir = Objects.requireNonNull(baseDir);
    }

    /**
     * A parser for specs read from a job file in {@code dir}: a split that runs the user's own code runs it there (the
     * default is the working directory).
     */
    public SpecParser withBaseDir(Path dir) {
        return new SpecParser(plugins, dir.toAbsolutePath());
    }

    /** A parser over the plugins on the class path. */
    public static SpecParser builtin() {
        return BUILTIN;
    }

    public Plugins plugins() {
        return plugins;
    }

    /** Parses a spec document; without a {@code name} the job is called {@value #DEFAULT_NAME}. @throws SpecException listing every problem */
    public JobSpec parse(byte[] json) {
        return parse(json, DEFAULT_NAME);
    }

    /**
     * Parses a spec document read from a file; without a {@code name} the job takes {@code defaultName} (see
     * {@link #nameOf(String)}). @throws SpecException listing every problem
     */
    public JobSpec parse(byte[] json, String defaultName) {
        if (json.length > Limits.MAX_SPEC_BYTES) {
            throw new SpecException(
                    "spec", "is " + json.length + " bytes, more than the limit of " + Limits.MAX_SPEC_BYTES);
        }
        JsonNode root;
        try {
            root = Codec.readTree(json);
        } catch (CodecException e) {
            throw new SpecException(List.of(e.getMessage()));
        }
        return parse(root, defaultName);
    }

    public JobSpec parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Validates a spec tree. @throws SpecException listing every problem */
    public JobSpec parse(JsonNode root) {
        return parse(root, DEFAULT_NAME);
    }

    /**
     * A job name made from a job file's name: its base name without {@code .json}, each character a name may not hold
     * replaced by '-', at most 64 characters; {@value #DEFAULT_NAME} if nothing is left.
     */
    public static String nameOf(String fileName) {
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        if (base.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
            base = base.substring(0, base.length() - ".json".length());
        }
        String name = base.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
        name = name.length() > 64 ? name.substring(0, 64) : name;
        return name.isEmpty() ? DEFAULT_NAME : name;
    }

    /** Validates a spec tree; without a {@code name} the job takes {@code defaultName}. @throws SpecException listing every problem */
    public JobSpec parse(JsonNode root, String defaultName) {
        Problems problems = new Problems();
        if (!root.isObject()) {
            problems.add("spec", "must be a JSON object, got " + Params.describe(root));
            problems.throwIfAny();
        }
        Params top = Params.of(root, "", problems);
        String name = top.has("name") ? top.string("name") : defaultName;
        if (name != null && !NAME.matcher(name).matches()) {
            top.problem(
                    "name",
                    "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, got "
                            + Params.describe(root.get("name")));
        }
        // a simulation that runs the user's own code takes a system binfleet does not know
        boolean anySystem = runsUserCode(root.get("simulation"));
        JsonNode systemNode = top.raw("system");
        SystemModel system = null;
        if (systemNode == null) {
            top.problem("system", "is required");
        } else {
            system = system(systemNode, "system", problems, anySystem);
        }
        Params parallel = top.object("parallel");
        Params simulationParams = top.object("simulation");
        Params mergeParams = top.optionalObject("merge");
        top.finish();

        Split split = split(parallel, system);
        if (split != null) {
            // a split that gives each piece a system of its own: each must be one the simulation runs on
            List<ObjectNode> own = split.systems();
            for (int i = 0; i < own.size(); i++) {
                system(own.get(i), "parallel.pieces[" + i + "].system", problems, anySystem);
            }
        }
        SimulationType simulationType = plugins.simulations().require(simulationParams, "name");
        Long seed = simulationParams.longValue("seed");
        int retries = simulationParams.integer("retries", 0, JobSpec.MAX_RETRIES, JobSpec.DEFAULT_RETRIES);
        int checkpointSeconds = simulationParams.integer(
                "checkpointSeconds", 0, JobSpec.MAX_CHECKPOINT_SECONDS, JobSpec.DEFAULT_CHECKPOINT_SECONDS);
        Simulation simulation = null;
        if (simulationType != null) {
            checkCompatible(simulationType, simulationParams, system, split);
            simulation = simulationType.configure(simulationParams, system);
            simulationParams.finish();
        }
        if (mergeParams == null) {
            ObjectNode dflt =
                    simulationType == null ? Codec.object().put("method", "mean") : simulationType.defaultMerge();
            mergeParams = Params.of(dflt, "merge", problems);
        }
        Merge merge = merge(mergeParams, system);
        problems.throwIfAny();
        return new JobSpec(name, system, split, simulation, merge, seed, retries, checkpointSeconds);
    }

    /**
     * Validates a system in its spec form {@code {"Type": {state}}} found at {@code path}.
     *
     * @return the system, or {@code null} if a problem was recorded
     */
    public SystemModel system(JsonNode node, String path, Problems problems) {
        return system(node, path, problems, false);
    }

    /**
     * Validates a system as {@link #system(JsonNode, String, Problems)} does; with {@code anySystem} (a simulation that
     * runs the user's own code) a type that is not registered is taken as a {@link UserSystem}, its state a JSON object
     * passed through as given.
     */
    public SystemModel system(JsonNode node, String path, Problems problems, boolean anySystem) {
        int before = problems.size();
        if (!(node instanceof ObjectNode object) || object.size() != 1) {
            problems.add(
                    path,
                    "must be an object with exactly one entry {\"Type\": {state}}, got "
                            + (node instanceof ObjectNode o ? o.size() + " entries" : Params.describe(node)));
            return null;
        }
        String typeName = object.fieldNames().next();
        if (anySystem && plugins.systems().find(typeName).isEmpty()) {
            JsonNode state = object.get(typeName);
            if (typeName.isBlank()) {
                problems.add(path, "the system's type name must not be blank");
                return null;
            }
            if (!(state instanceof ObjectNode stateObject)) {
                problems.add(
                        path + "." + typeName,
                        "must be a JSON object (the system's state), got " + Params.describe(state));
                return null;
            }
            return new UserSystem(typeName, stateObject);
        }
        SystemType type = plugins.systems()
                .require(
                        typeName,
                        path,
                        problems,
                        anySystem
                                ? ""
                                : "; a system of your own runs with a simulation that runs your code (external)");
        if (type == null) {
            return null;
        }
        Params state = Params.of(object.get(typeName), path + "." + typeName, problems);
        SystemModel model = type.configure(state);
        state.finish();
        return problems.size() == before ? model : null;
    }

    /**
     * Validates a simulation in its spec form ({@code name}, parameters, optional {@code seed}) for
     * {@code system}; used by workers on the task they are handed.
     *
     * @throws SpecException listing every problem
     */
    public Simulation simulation(JsonNode node, SystemModel system, String path) {
        Problems problems = new Problems();
        Params params = Params.of(node, path, problems);
        SimulationType type = plugins.simulations().require(params, "name");
        params.longValue("seed");
        params.integer("retries", 0, JobSpec.MAX_RETRIES, JobSpec.DEFAULT_RETRIES);
        params.integer("checkpointSeconds", 0, JobSpec.MAX_CHECKPOINT_SECONDS, JobSpec.DEFAULT_CHECKPOINT_SECONDS);
        Simulation simulation = type == null ? null : type.configure(params, system);
        if (type != null) {
            params.finish();
        }
        problems.throwIfAny();
        return simulation;
    }

    /** Validates a system in spec form. @throws SpecException listing every problem */
    public SystemModel system(JsonNode node, String path) {
        return system(node, path, false);
    }

    /**
     * Validates a system in spec form; with {@code anySystem} one binfleet does not know passes (see
     * {@link #system(JsonNode, String, Problems, boolean)}). @throws SpecException listing every problem
     */
    public SystemModel system(JsonNode node, String path, boolean anySystem) {
        Problems problems = new Problems();
        SystemModel model = system(node, path, problems, anySystem);
        problems.throwIfAny();
        return model;
    }

    /**
     * Whether the simulation in spec form {@code simulation} runs the user's own code, and so takes a system binfleet
     * does not know; false if it names no registered simulation.
     */
    public boolean runsUserCode(JsonNode simulation) {
        JsonNode name = simulation == null ? null : simulation.get("name");
        return name != null
                && name.isTextual()
                && plugins.simulations()
                        .find(name.asText())
                        .map(SimulationType::runsUserCode)
                        .orElse(false);
    }

    private Split split(Params parallel, SystemModel system) {
        SplitType type = plugins.splits().require(parallel, "split");
        if (type == null) {
            return null;
        }
        // several independent walkers per window, for the splits that make windows
        boolean windows =
                type.name().equals(EnergyWindowsSplit.NAME) || type.name().equals(GridSplit.NAME);
        int walkers = windows ? parallel.integer("walkers", 1, WalkersSplit.MAX_WALKERS, 1) : 1;
        Split split = type.configure(parallel, system, baseDir);
        parallel.finish();
        if (split != null && walkers > 1) {
            long pieces = (long) split.pieces().size() * walkers;
            if (pieces > Limits.MAX_PIECES) {
                parallel.problem(
                        "walkers",
                        walkers + " walkers per window make " + pieces + " pieces, more than the limit of "
                                + Limits.MAX_PIECES);
                return null;
            }
            split = new WalkersSplit(split, walkers);
        }
        return split;
    }

    private void checkCompatible(SimulationType type, Params params, SystemModel system, Split split) {
        if (system != null && !type.systems().isEmpty() && !type.systems().contains(system.type())) {
            params.problem(
                    "name",
                    type.name() + " does not run on system " + system.type() + " (it runs on: "
                            + String.join(", ", type.systems().stream().sorted().toList()) + ")");
        }
        if (split != null && !type.splits().isEmpty() && !type.splits().contains(split.type())) {
            params.problem(
                    "name",
                    type.name() + " does not run on " + split.type() + " pieces (it runs on: "
                            + String.join(", ", type.splits().stream().sorted().toList()) + ")");
        }
    }

    private Merge merge(Params params, SystemModel system) {
        MergeType type = plugins.merges().require(params, "method");
        if (type == null) {
            return null;
        }
        Merge merge = type.configure(params, system);
        params.finish();
        return merge;
    }
}
