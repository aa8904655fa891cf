package io.binfleet.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * binfleet services as real child processes (the packaged app, as {@code ./binfleet} runs it), for fault tests:
 * {@link #kill(String)} is SIGKILL, {@link #terminate(String)} is SIGTERM. {@link #close()} stops every one of them.
 */
final class Services implements AutoCloseable {
    /** The packaged app and its libraries (copied there by this module's build). */
    static final Path APP = Path.of("target", "app");

    private final Path logs;
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final List<Process> all = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();

    Services(Path logs) {
        this.logs = logs;
    }

    /** Sets {@code name} in the environment of the processes started after this. */
    synchronized Services env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts {@code binfleet ARGS...} as {@code name}; its output goes to {@code LOGS/name.log} (appended). */
    synchronized Process start(String name, String... args) {
        return startIn(null, name, args);
    }

    /** A one-thread worker named {@code name} on the fleet at {@code bootstrap} with topics {@code prefix}, renewing every second. */
    Process startWorker(String name, String bootstrap, String prefix) {
        return start(
                name,
                "worker",
                "--bootstrap",
                bootstrap,
                "--topic-prefix",
                prefix,
                "--threads",
                "1",
                "--id",
                name,
                "--renew-every",
                "1");
    }

    /** {@link #start} with {@code workDir} as the process's working folder (null: this one). */
    synchronized Process startIn(Path workDir, String name, String... args) {
        String classpath = APP.toAbsolutePath() + "/*";
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                "io.binfleet.app.Binfleet"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process p = builder.directory(workDir == null ? null : workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            logs.resolve(name + ".log").toFile()))
                    .start();
            running.put(name, p);
            all.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized Process get(String name) {
        return running.get(name);
    }

    /** SIGKILL, and wait for it to be gone. */
    void kill(String name) throws InterruptedException {
        Process p = get(name);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, and wait up to {@code seconds} for it to exit; true if it did. */
    boolean terminate(String name, long seconds) throws InterruptedException {
        Process p = get(name);
        p.destroy();
        return p.waitFor(seconds, TimeUnit.SECONDS);
    }

    String log(String name) {
        try {
            Path f = logs.resolve(name + ".log");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of every log, for a failing test's report. */
    void dump() {
        for (String name : running.keySet()) {
            List<String> lines = log(name).lines().toList();
            System.err.println("---- " + name + " (last lines)");
            lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(System.err::println);
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
