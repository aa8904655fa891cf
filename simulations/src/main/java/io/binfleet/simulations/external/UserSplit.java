package io.binfleet.simulations.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Split;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A split made by the user's own code at submit time (the classic {@code psystem_func}): each piece is
 * {@code {"system": {"Type": {state}}, "args": [...]}}, a system of its own and the positional arguments of the
 * simulation. What the code returned is kept in the spec ({@code parallel.pieces}), so the reducer and anyone who reads
 * the spec back get the same pieces without running anything.
 *
 * @param type    the split's registered name
 * @param declared its parameters as the spec gave them, without {@code pieces}
 * @param systems each piece's system
 * @param args    each piece's positional arguments
 */
public record UserSplit(String type, ObjectNode declared, List<ObjectNode> systems, List<ArrayNode> args)
        implements Split {
    /** The field of {@code parallel} that holds the pieces the code made. */
    public static final String PIECES = "pieces";
    /** Bytes a split program may print. */
    static final int MAX_OUTPUT = Limits.MAX_MESSAGE_BYTES;

    @Override
    public ObjectNode params() {
        ObjectNode p = declared.deepCopy();
        ArrayNode pieces = p.putArray(PIECES);
        for (int i = 0; i < systems.size(); i++) {
            ObjectNode piece = pieces.addObject();
            piece.set("system", systems.get(i).deepCopy());
            piece.set("args", args.get(i).deepCopy());
        }
        return p;
    }

    @Override
    public List<ObjectNode> pieces() {
        List<ObjectNode> out = new ArrayList<>(args.size());
        for (ArrayNode a : args) {
            ObjectNode piece = Codec.object();
            piece.set("args", a.deepCopy());
            out.add(piece);
        }
        return out;
    }

    /**
     * The pieces in {@code node} (what the code printed, or {@code parallel.pieces} of a spec read back), or
     * {@code null} after recording at {@code field} what is wrong with them.
     */
    public static UserSplit of(
            String type, ObjectNode declared, JsonNode node, Params params, String field, String who) {
        if (node == null || !node.isArray()) {
            params.problem(field, who + " must give an array of pieces, got " + Params.describe(node));
            return null;
        }
        if (node.isEmpty()) {
            params.problem(field, who + " gave no pieces");
            return null;
        }
        if (node.size() > Limits.MAX_PIECES) {
            params.problem(
                    field, who + " gave " + node.size() + " pieces, more than the limit of " + Limits.MAX_PIECES);
            return null;
        }
        List<ObjectNode> systems = new ArrayList<>(node.size());
        List<ArrayNode> args = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = who + "'s piece " + i;
            if (!(item instanceof ObjectNode object)) {
                params.problem(
                        field, at + " must be {\"system\": {...}, \"args\": [...]}, got " + Params.describe(item));
                return null;
            }
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("system") && !f.equals("args")) {
                    params.problem(field, at + " has an unknown field \"" + f + "\" (known: args, system)");
                    return null;
                }
            }
            JsonNode system = object.get("system");
            if (!(system instanceof ObjectNode s)
                    || s.size() != 1
                    || !s.elements().next().isObject()) {
                params.problem(field, at + ": system must be {\"Type\": {state}}, got " + Params.describe(system));
                return null;
            }
            JsonNode a = object.get("args");
            if (a == null) {
                a = Codec.array();
            }
            if (!(a instanceof ArrayNode array)) {
                params.problem(field, at + ": args must be an array, got " + Params.describe(a));
                return null;
            }
            systems.add(s.deepCopy());
            args.add(array.deepCopy());
        }
        return new UserSplit(type, declared, List.copyOf(systems), List.copyOf(args));
    }

    /**
     * Runs a split program once: {@code input} on its stdin, its stdout read as JSON. Problems (it cannot start, fails,
     * times out, prints no JSON) go to {@code field} of {@code params}, with the tail of its stderr.
     *
     * @return what it printed, or {@code null} after recording a problem
     */
    public static JsonNode runOnce(
            List<String> command,
            Path dir,
            Map<String, String> env,
            ObjectNode input,
            int timeoutSeconds,
            Params params,
            String field,
            String who) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            params.problem(field, "cannot start " + command + " in " + dir + ": " + e.getMessage());
            return null;
        }
        try {
            Capture out = new Capture(process.getInputStream(), MAX_OUTPUT, false);
            Capture err = new Capture(process.getErrorStream(), Capture.STDERR_TAIL, true);
            out.start();
            err.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(Codec.write(input));
            } catch (IOException e) {
                // it may exit without reading: its exit code tells
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                Capture.kill(process);
                err.join(1000);
                params.problem(field, who + " timed out after " + timeoutSeconds + " s" + err.asStderr());
                return null;
            }
            out.join(5000);
            err.join(5000);
            if (process.exitValue() != 0) {
                params.problem(field, who + " failed (exit " + process.exitValue() + ")" + err.asStderr());
                return null;
            }
            if (out.overflow) {
                params.problem(field, who + " printed more than " + MAX_OUTPUT + " bytes" + err.asStderr());
                return null;
            }
            byte[] bytes = out.bytes();
            try {
                return Codec.readTree(bytes, "output");
            } catch (RuntimeException e) {
                String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
                params.problem(
                        field, who + " printed no JSON (" + e.getMessage() + "); it began: " + text + err.asStderr());
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            params.problem(field, who + " was interrupted");
            return null;
        } finally {
            Capture.kill(process);
        }
    }
}
