package io.binfleet.simulations.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Limits;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.PieceFailedException;
import io.binfleet.core.spi.PieceOutput;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A program kept running from one piece to the next, spoken to in the line protocol: one task JSON line in; any number
 * of {@code {"progress": f}} and {@code {"checkpoint": ...}} lines, then one result line ({@code {"x", "y", ...}}) or
 * {@code {"error": "message"}} out. Its stderr is kept (the tail since the current piece began) for failure messages.
 * Not thread-safe: one per piece thread (see {@link io.binfleet.core.spi.ThreadResources}). Every live one is killed if
 * the JVM exits.
 */
final class LineProcess implements AutoCloseable {
    /** A line on stdout longer than this is a protocol error. */
    private static final int MAX_LINE = Limits.MAX_MESSAGE_BYTES;
    /** The end of stdout, in the queue of lines. */
    private static final Object EOF = new Object();

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Capture::kill), "binfleet-line-processes"));
    }

    private final String program;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final Capture stderr;

    private LineProcess(String program, Process process) {
        this.program = program;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stderr = new Capture(process.getErrorStream(), Capture.STDERR_TAIL, true);
        Thread out = new Thread(this::readLines, "binfleet-line-stdout");
        out.setDaemon(true);
        out.start();
        stderr.start();
    }

    /**
     * Starts {@code command} in {@code dir} with {@code env} added to its environment.
     *
     * @throws PieceFailedException if it cannot be started (a missing program never starts on a retry either)
     */
    static LineProcess start(List<String> command, Path dir, Map<String, String> env) throws PieceFailedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(env);
        try {
            Process p = builder.start();
            LIVE.add(p);
            return new LineProcess(command.get(0), p);
        } catch (IOException e) {
            throw new PieceFailedException("cannot start " + command + " in " + dir + ": " + e.getMessage());
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Hands the program one task and waits for its result, passing on its progress. On a timeout or a cancel the
     * program is killed (the caller starts a new one for the next piece).
     *
     * @throws ExternalSimulation.ExternalFailure the program died, timed out or answered {@code {"error": ...}} (retried)
     * @throws PieceFailedException               it broke the protocol (never retried: it would break it again)
     */
    PieceOutput run(ObjectNode task, PieceContext context, Watch watch) throws Exception {
        // lines printed after the previous piece's result belong to no piece: they must not answer this one
        for (Object stale = lines.poll(); stale != null; stale = lines.poll()) {
            if (stale == EOF) {
                throw died("exited");
            }
        }
        stderr.reset();
        try {
            stdin.write(Codec.write(task));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw died("could not be handed the task (" + e.getMessage() + ")");
        }
        Watch.Clock clock = watch.start();
        while (true) {
            Object next = lines.poll(100, TimeUnit.MILLISECONDS);
            if (next == null) {
                if (context.cancelled()) {
                    close();
                    throw new CancellationException("cancelled");
                }
                clock.heardAt(stderr.lastRead);
                String expired = clock.expired();
                if (expired != null) {
                    close();
                    throw new ExternalSimulation.ExternalFailure(program + " " + expired + tail());
                }
                continue;
            }
            clock.heard();
            if (next == EOF) {
                throw died("exited");
            }
            String line = (String) next;
            JsonNode message;
            try {
                message = Codec.readOutput(line.getBytes(StandardCharsets.UTF_8), "output");
            } catch (RuntimeException e) {
                throw protocolError(line, "not JSON");
            }
            if (!(message instanceof ObjectNode object)) {
                throw protocolError(line, "not a JSON object");
            }
            if (object.size() == 1 && object.has("progress")) {
                JsonNode f = object.get("progress");
                if (!f.isNumber()) {
                    throw protocolError(line, "progress must be a number in [0, 1]");
                }
                context.progress(Math.max(0, Math.min(1, f.asDouble())));
            } else if (object.size() == 1 && object.has("checkpoint")) {
                // offered as often as the program likes; kept once per checkpoint interval (or as the worker stops)
                if (context.checkpointDue()) {
                    context.checkpoint(object.get("checkpoint"));
                }
            } else if (object.has("error")) {
                String error = program + " failed: " + object.get("error").asText() + tail();
                if (object.path("retry").isBoolean() && !object.get("retry").asBoolean()) {
                    // the program says this piece can never succeed (bad output, a missing module)
                    throw new PieceFailedException(error);
                }
                throw new ExternalSimulation.ExternalFailure(error);
            } else {
                try {
                    return ExternalSimulation.External.output(object);
                } catch (IllegalArgumentException e) {
                    throw protocolError(line, e.getMessage());
                }
            }
        }
    }

    private ExternalSimulation.ExternalFailure died(String what) throws InterruptedException {
        // the exit code and the last words on stderr, once the program is gone
        process.waitFor(2, TimeUnit.SECONDS);
        stderr.join(1000);
        String code = process.isAlive() ? "" : " with " + process.exitValue();
        close();
        return new ExternalSimulation.ExternalFailure(program + " " + what + code + " before its result" + tail());
    }

    private PieceFailedException protocolError(String line, String why) {
        close();
        String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return new PieceFailedException(program + " broke the line protocol (" + why + "): stdout line " + shown
                + " (print to stderr; stdout carries only protocol lines)" + tail());
    }

    private String tail() {
        return stderr.asStderr();
    }

    private void readLines() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.length() > MAX_LINE) {
                    line = line.substring(0, 200);
                }
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the process went away
        } finally {
            lines.add(EOF);
        }
    }

    /** Closes its stdin (a runner then exits on its own), then kills it and its children if it is still there. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Capture.kill(process);
        LIVE.remove(process);
    }
}
