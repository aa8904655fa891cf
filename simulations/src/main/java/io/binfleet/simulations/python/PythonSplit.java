package io.binfleet.simulations.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Split;
import io.binfleet.core.spi.SplitType;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.simulations.external.UserSplit;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code "split": "python", "function": "MODULE:FUNCTION", "systems": "MODULE"?, ...kwargs}: the classic
 * {@code psystem_func}, run once at submit time in the job's folder, before anything is published. binfleet calls
 * {@code FUNCTION(system, **kwargs)} (kwargs: the other keys of {@code parallel}) with the job's system built by the
 * classic {@code params_to_system} over the {@code systems} module (or, without one, the system's dict) and takes the
 * list it returns: each item {@code (system, *args)}, the system an object of the systems module (turned back into
 * params with the classic {@code system_to_params}) or a params dict, the args JSON-encodable (numpy values included).
 */
public final class PythonSplit implements SplitType {
    public static final String NAME = "python";
    private static final List<String> OWN_FIELDS =
            List.of("split", "function", "systems", "python", "timeoutSeconds", UserSplit.PIECES);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Split configure(Params params, SystemModel system) {
        return configure(params, system, Path.of("").toAbsolutePath());
    }

    @Override
    public Split configure(Params params, SystemModel system, Path baseDir) {
        String function = params.string("function");
        if (function != null && !PythonSimulation.isFunction(function)) {
            params.problem(
                    "function", "must be \"MODULE:FUNCTION\" (e.g. \"splits:psystem_func\"), got \"" + function + "\"");
            function = null;
        }
        String systems = null;
        if (params.has("systems")) {
            systems = params.string("systems");
            if (systems != null && !PythonSimulation.isModule(systems)) {
                params.problem("systems", "must be a module name (e.g. \"systems\"), got \"" + systems + "\"");
                systems = null;
            }
        }
        String python = params.has("python") ? params.string("python") : PythonSimulation.DEFAULT_PYTHON;
        int timeout = params.integer("timeoutSeconds", 1, 86_400, 300);
        ObjectNode kwargs = Codec.object();
        for (String f : params.fieldNames()) {
            if (!OWN_FIELDS.contains(f)) {
                params.declare(f);
                kwargs.set(f, params.raw(f));
            }
        }
        JsonNode given = params.raw(UserSplit.PIECES);
        if (function == null || python == null) {
            return null;
        }
        ObjectNode declared = Codec.object().put("function", function);
        if (systems != null) {
            declared.put("systems", systems);
        }
        declared.put("python", python).put("timeoutSeconds", timeout);
        declared.setAll(kwargs.deepCopy());
        String who = "the split function " + function;
        if (given != null) {
            // a spec read back: the pieces the function made then
            return UserSplit.of(NAME, declared, given, params, UserSplit.PIECES, who);
        }
        if (system == null) {
            return null; // the spec's system is itself invalid: nothing to split
        }
        ObjectNode input = Codec.object().put("function", function);
        if (systems != null) {
            input.put("systems", systems);
        }
        input.putObject("system").set(system.type(), system.params());
        input.set("kwargs", kwargs);
        input.put("maxPieces", Limits.MAX_PIECES);
        JsonNode out = UserSplit.runOnce(
                List.of(python, "-m", "binfleet.split"),
                baseDir,
                PythonSimulation.environment(baseDir),
                input,
                timeout,
                params,
                "function",
                who);
        return out == null ? null : UserSplit.of(NAME, declared, out, params, "function", who);
    }
}
