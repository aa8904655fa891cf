package io.binfleet.simulations.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Simulation;
import io.binfleet.core.spi.SimulationType;
import io.binfleet.core.spi.SystemModel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * {@code external {command: [program, args...], timeoutSeconds?, silenceSeconds: 1800, ...}}: runs a program in any language in the job's
 * folder, writes the task JSON to its stdin and reads the piece result from its stdout:
 * {@code {"x": [...], "y": [...], "w": [...]?, "series": {name: [...]}?}}. The task carries the piece's seed; the
 * program should seed from it so that a piece rerun with its seed reproduces its result. Any other field of the
 * simulation is passed through in the task for the program. A non-zero exit, output that is not a piece result, or
 * a silence or timeout ({@link Watch}) fails the attempt with the tail of the program's stderr (retried up to the delivery limit); a
 * program the runner does not allow fails the piece for good.
 *
 * <p>With {@code "protocol": "lines"} the program is started once per worker thread and kept: it reads one task JSON
 * per line on stdin and answers each with {@code {"progress": f}} lines (optional) and one result line, or
 * {@code {"error": "message"}} (a failed attempt; the program stays). Interpreter start and imports are then paid once,
 * not per piece. A program that dies, times out or breaks the protocol is replaced for the next piece.
 */
public final class ExternalSimulation implements SimulationType {
    public static final String NAME = "external";
    /** One process per piece: the task on stdin, the result on stdout (the default). */
    static final String ONCE = "once";
    /** One process kept per worker thread, one JSON line per piece each way (the line protocol). */
    static final String LINES = "lines";

    /** The fields of a piece result. */
    static final List<String> FIELDS = List.of("x", "y", "w", "series", "meta");

    private static final List<String> OWN_FIELDS = Stream.concat(
                    JobSpec.SIMULATION_FIELDS.stream(),
                    Stream.of("command", "timeoutSeconds", "silenceSeconds", "protocol"))
            .toList();

    @Override
    public String name() {
        return NAME;
    }

    /** Any system: one binfleet does not know reaches the program as the spec gives it. */
    @Override
    public boolean runsUserCode() {
        return true;
    }

    @Override
    public Simulation configure(Params params, SystemModel system) {
        List<String> argv = command(params);
        Watch watch = Watch.of(params);
        String protocol = params.choice("protocol", List.of(ONCE, LINES), ONCE);
        // every other field belongs to the program: it finds them in the task's "simulation"
        ObjectNode extra = Codec.object();
        for (String f : params.fieldNames()) {
            if (!OWN_FIELDS.contains(f)) {
                params.declare(f);
                extra.set(f, params.raw(f));
            }
        }
        return new External(argv == null ? List.of() : argv, watch, protocol, extra);
    }

    /**
     * The program and its arguments in {@code command}: a non-empty array of strings, the first not blank.
     *
     * @return them, or {@code null} after recording what is wrong
     */
    static List<String> command(Params params) {
        JsonNode command = params.raw("command");
        if (command == null) {
            params.problem("command", "is required");
            return null;
        }
        if (!command.isArray() || command.isEmpty()) {
            params.problem("command", "must be a non-empty array of strings, got " + Params.describe(command));
            return null;
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            JsonNode a = command.get(i);
            if (!a.isTextual() || (i == 0 && a.asText().isBlank())) {
                params.problem("command[" + i + "]", "must be a non-empty string, got " + Params.describe(a));
                return null;
            }
            argv.add(a.asText());
        }
        return List.copyOf(argv);
    }

    /** A configured external simulation. */
    public record External(List<String> command, Watch watch, String protocol, ObjectNode extra) implements Simulation {
        @Override
        public Set<String> programs() {
            return Set.of(command.get(0));
        }

        /** When a word of the command names a file in the job's folder by a relative path ({@code model.py}). */
        @Override
        public boolean usesJobFolder(Path folder) {
            for (String word : command) {
                try {
                    Path p = Path.of(word);
                    if (!p.isAbsolute() && !word.isBlank() && Files.isRegularFile(folder.resolve(p))) {
                        return true;
                    }
                } catch (InvalidPathException e) {
                    // not a path (a script given inline, say)
                }
            }
            return false;
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            ArrayNode argv = Codec.array();
            command.forEach(argv::add);
            ObjectNode p = Codec.object();
            p.set("command", argv);
            watch.put(p);
            if (!protocol.equals(ONCE)) {
                p.put("protocol", protocol);
            }
            p.setAll(extra.deepCopy());
            return p;
        }

        @Override
        public PieceOutput run(PieceContext context, RandomGenerator rng) throws Exception {
            String program = command.get(0);
            if (!context.allows(program)) {
                throw new PieceFailedException("external program \"" + program
                        + "\" is not allowed here; a worker runs only " + "the programs given with --allow-command");
            }
            if (protocol.equals(LINES)) {
                return runLines(context);
            }
            Process process;
            try {
                process = new ProcessBuilder(command)
                        .directory(context.baseDir().toFile())
                        .start();
            } catch (IOException e) {
                throw new PieceFailedException(
                        "cannot start " + command + " in " + context.baseDir() + ": " + e.getMessage());
            }
            try {
                Capture stdout = new Capture(process.getInputStream(), Limits.MAX_MESSAGE_BYTES, false);
                Capture stderr = new Capture(process.getErrorStream(), Capture.STDERR_TAIL, true);
                stdout.start();
                stderr.start();
                try (OutputStream in = process.getOutputStream()) {
                    in.write(Codec.write(context.task()));
                } catch (IOException e) {
                    // the program may exit without reading its input; its exit code tells
                }
                Watch.Clock clock = watch.start();
                while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
                    if (context.cancelled()) {
                        throw new CancellationException("cancelled");
                    }
                    clock.heardAt(stdout.lastRead);
                    clock.heardAt(stderr.lastRead);
                    String expired = clock.expired();
                    if (expired != null) {
                        Capture.kill(process);
                        stderr.join(1000);
                        throw new ExternalFailure(program + " " + expired + tail(stderr));
                    }
                }
                stdout.join(5000);
                stderr.join(5000);
                if (process.exitValue() != 0) {
                    throw new ExternalFailure(program + " exited with " + process.exitValue() + tail(stderr));
                }
                if (stdout.overflow) {
                    throw new ExternalFailure(
                            program + " printed more than " + Limits.MAX_MESSAGE_BYTES + " bytes" + tail(stderr));
                }
                return parse(stdout.bytes(), program, stderr);
            } finally {
                Capture.kill(process);
            }
        }

        /** The piece's program in the line protocol, kept running on this piece thread from one piece to the next. */
        private PieceOutput runLines(PieceContext context) throws Exception {
            return LinePrograms.run(command, Map.of(), context, watch);
        }

        /**
         * A piece result as a program prints it: {@code {"x": [...], "y": [...], "w": [...]?, "series": {...}?,
         * "meta": any?}}. In y and the series, {@code null}, {@code NaN} and {@code ±Infinity} are gaps.
         *
         * @throws IllegalArgumentException saying what is wrong with it
         */
        static PieceOutput output(JsonNode root) {
            if (!root.isObject()) {
                throw new IllegalArgumentException("expected a JSON object");
            }
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    throw new IllegalArgumentException(
                            "unknown field \"" + f + "\" (known: " + FIELDS + "; anything else goes into \"meta\")");
                }
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            JsonNode s = root.get("series");
            if (s != null) {
                if (!s.isObject()) {
                    throw new IllegalArgumentException("series must be an object of arrays of numbers");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    series.put(e.getKey(), numbers(e.getValue(), "series." + e.getKey(), true));
                }
            }
            JsonNode meta = root.get("meta");
            return new PieceOutput(
                    numbers(root.get("x"), "x", false),
                    numbers(root.get("y"), "y", true),
                    root.has("w") ? numbers(root.get("w"), "w", false) : null,
                    series,
                    meta == null || meta.isNull() ? null : finite(meta));
        }

        /** {@code node} with every NaN and ±Infinity in it as {@code null}: JSON has no such numbers. */
        private static JsonNode finite(JsonNode node) {
            if (node.isNumber() && !Double.isFinite(node.asDouble())) {
                return NullNode.getInstance();
            }
            if (node instanceof ObjectNode o) {
                o.fields().forEachRemaining(e -> e.setValue(finite(e.getValue())));
            } else if (node instanceof ArrayNode a) {
                for (int i = 0; i < a.size(); i++) {
                    a.set(i, finite(a.get(i)));
                }
            }
            return node;
        }

        private static PieceOutput parse(byte[] out, String program, Capture stderr) throws PieceFailedException {
            try {
                return output(Codec.readOutput(out, "output"));
            } catch (RuntimeException e) {
                // the same program on the same task would print the same: not retried
                String text = new String(out, 0, Math.min(out.length, 200), StandardCharsets.UTF_8);
                throw new PieceFailedException(program + " printed no piece result (" + e.getMessage()
                        + "); its output began: " + text + tail(stderr));
            }
        }

        /** An array of numbers; with {@code gaps}, {@code null} and non-finite numbers are NaN (a gap). */
        private static double[] numbers(JsonNode node, String field, boolean gaps) {
            if (node == null || !node.isArray()) {
                throw new IllegalArgumentException(field + " must be an array of numbers");
            }
            double[] v = new double[node.size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode n = node.get(i);
                if (gaps && n.isNull()) {
                    v[i] = Double.NaN;
                    continue;
                }
                if (!n.isNumber()) {
                    String what = n.isArray() ? "an array (" + field + " must be 1-D)" : n.toString();
                    throw new IllegalArgumentException(field + "[" + i + "] must be a number, got " + what);
                }
                v[i] = n.asDouble();
                if (!Double.isFinite(v[i])) {
                    if (!gaps) {
                        throw new IllegalArgumentException(field + "[" + i + "] must be a finite number, got " + v[i]);
                    }
                    v[i] = Double.NaN;
                }
            }
            return v;
        }

        private static String tail(Capture stderr) {
            return stderr.asStderr();
        }
    }

    /** A failed attempt of an external program: retried up to the delivery limit. */
    public static final class ExternalFailure extends Exception {
        private static final long serialVersionUID = 1L;

        public ExternalFailure(String message) {
            super(message);
        }
    }
}
