package io.binfleet.simulations.python;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SimulationType;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.simulations.external.LinePrograms;
import io.binfleet.simulations.external.Watch;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code python {function: "MODULE:FUNCTION", systems: "MODULE"?, python: "python3", timeoutSeconds?, silenceSeconds: 1800, ...kwargs}}:
 * the user's own simulation function, called as in the classic design, {@code FUNCTION(system, *args, **kwargs)}, in
 * one Python interpreter kept per worker thread (binfleet's runner, {@code python -m binfleet.runner}, in the line
 * protocol). The system is built with the classic {@code params_to_system} over the {@code systems} module (without
 * one the function gets the system's {@code {"Type": {state}}} dict); a built-in split's args arrive as keyword
 * arguments ({@code window=[lo, hi]}, {@code values=[...]}, {@code replica=i}); every other field of the simulation is
 * a keyword argument too. numpy's and Python's global generators are seeded from the piece's seed before the call, and
 * {@code binfleet.rng()} gives a Generator from the same seed. Modules resolve against the job's folder.
 */
public final class PythonSimulation implements SimulationType {
    public static final String NAME = "python";
    static final String DEFAULT_PYTHON = "python3";
    private static final Pattern MODULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final Pattern FUNCTION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final List<String> OWN_FIELDS = Stream.concat(
                    JobSpec.SIMULATION_FIELDS.stream(),
                    Stream.of("function", "systems", "python", "timeoutSeconds", "silenceSeconds"))
            .toList();

    @Override
    public String name() {
        return NAME;
    }

    /** Any system: one binfleet does not know reaches the function as the spec gives it. */
    @Override
    public boolean runsUserCode() {
        return true;
    }

    @Override
    public Simulation configure(Params params, SystemModel system) {
        String function = params.string("function");
        if (function != null && !isFunction(function)) {
            params.problem(
                    "function", "must be \"MODULE:FUNCTION\" (e.g. \"potts:simulate\"), got \"" + function + "\"");
        }
        String systems = null;
        if (params.has("systems")) {
            systems = params.string("systems");
            if (systems != null && !isModule(systems)) {
                params.problem("systems", "must be a module name (e.g. \"systems\"), got \"" + systems + "\"");
            }
        }
        String python = params.has("python") ? params.string("python") : DEFAULT_PYTHON;
        Watch watch = Watch.of(params);
        ObjectNode kwargs = Codec.object();
        for (String f : params.fieldNames()) {
            if (!OWN_FIELDS.contains(f)) {
                params.declare(f);
                kwargs.set(f, params.raw(f));
            }
        }
        return new Python(function, systems, python == null ? DEFAULT_PYTHON : python, watch, kwargs);
    }

    /** Whether {@code ref} is {@code MODULE:FUNCTION}. */
    static boolean isFunction(String ref) {
        String[] parts = ref.split(":", -1);
        return parts.length == 2
                && MODULE.matcher(parts[0]).matches()
                && FUNCTION.matcher(parts[1]).matches();
    }

    static boolean isModule(String name) {
        return MODULE.matcher(name).matches();
    }

    /** The environment of an interpreter binfleet starts: its package, then the job's folder, on the module path. */
    static Map<String, String> environment(Path baseDir) {
        String path = PythonPackage.home() + File.pathSeparator + baseDir;
        String inherited = System.getenv("PYTHONPATH");
        if (inherited != null && !inherited.isEmpty()) {
            path += File.pathSeparator + inherited;
        }
        return Map.of("PYTHONPATH", path, "PYTHONDONTWRITEBYTECODE", "1");
    }

    /** A configured Python simulation. */
    public record Python(String function, String systems, String python, Watch watch, ObjectNode kwargs)
            implements Simulation {
        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            ObjectNode p = Codec.object().put("function", function);
            if (systems != null) {
                p.put("systems", systems);
            }
            p.put("python", python);
            watch.put(p);
            p.setAll(kwargs.deepCopy());
            return p;
        }

        /** Always: the function's module is the user's own, found in the job's folder. */
        @Override
        public boolean usesJobFolder(Path folder) {
            return true;
        }

        /** The interpreter, which a fleet worker runs only if it is on its allow-list. */
        @Override
        public Set<String> programs() {
            return Set.of(python);
        }

        @Override
        public PieceOutput run(PieceContext context, RandomGenerator rng) throws Exception {
            if (!context.allows(python)) {
                throw new PieceFailedException("the Python interpreter \"" + python
                        + "\" is not allowed here; a worker runs only the programs given with --allow-command");
            }
            return LinePrograms.run(
                    List.of(python, "-u", "-m", "binfleet.runner"), environment(context.baseDir()), context, watch);
        }
    }
}
