package io.binfleet.simulations.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Split;
import io.binfleet.core.spi.SplitType;
import io.binfleet.core.spi.SystemModel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code "split": "external", "command": [program, args...], timeoutSeconds: 300, ...}: the user's own split in any
 * language, run once at submit time in the job's folder, before anything is published. The program reads
 * {@code {"system": {"Type": {state}}, "parallel": {the parallel block}}} on stdin and prints a JSON array of pieces,
 * {@code [{"system": {"Type": {state}}, "args": [...]}, ...]}: each piece's own system and the positional arguments its
 * simulation gets.
 */
public final class ExternalSplit implements SplitType {
    public static final String NAME = "external";
    static final int DEFAULT_TIMEOUT = 300;

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
        List<String> argv = ExternalSimulation.command(params);
        int timeout = params.integer("timeoutSeconds", 1, 86_400, DEFAULT_TIMEOUT);
        JsonNode given = params.raw(UserSplit.PIECES);
        ObjectNode declared = Codec.object();
        ArrayNode argvJson = declared.putArray("command");
        if (argv != null) {
            argv.forEach(argvJson::add);
        }
        declared.put("timeoutSeconds", timeout);
        for (String f : params.fieldNames()) {
            if (!List.of("split", "command", "timeoutSeconds", UserSplit.PIECES).contains(f)) {
                params.declare(f);
                declared.set(f, params.raw(f));
            }
        }
        if (argv == null) {
            return null;
        }
        String who = "the split program " + argv.get(0);
        if (given != null) {
            // a spec read back: the pieces the program made then
            return UserSplit.of(NAME, declared, given, params, UserSplit.PIECES, who);
        }
        if (system == null) {
            return null; // the spec's system is itself invalid: nothing to split
        }
        ObjectNode input = Codec.object();
        ObjectNode systemJson = input.putObject("system");
        systemJson.set(system.type(), system.params());
        ObjectNode parallel = declared.deepCopy();
        parallel.put("split", NAME);
        input.set("parallel", parallel);
        JsonNode out = UserSplit.runOnce(argv, baseDir, Map.of(), input, timeout, params, "command", who);
        return out == null ? null : UserSplit.of(NAME, declared, out, params, "command", who);
    }
}
