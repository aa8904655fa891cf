package io.binfleet.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code binfleet up}, {@code run} on the warm fleet, clients without --bootstrap, and {@code binfleet down}, as the
 * real commands a user types (child processes; the fleet itself a process of its own), with the fleet's home in a
 * temporary folder.
 */
class WarmFleetIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Services services;
    private Path home;

    @AfterEach
    void stopEverything() throws InterruptedException {
        // whatever happened, no fleet outlives the test
        if (home != null) {
            WarmFleet.running(home)
                    .flatMap(info -> ProcessHandle.of(info.pid()))
                    .ifPresent(p -> {
                        p.destroyForcibly();
                        p.onExit().orTimeout(20, TimeUnit.SECONDS).join();
                    });
        }
        if (services != null) {
            services.close();
        }
    }

    /**
     * Sets up a fleet home and the services' logs in the test's folder, and writes a job of 4 synthetic pieces of
     * {@code seconds} each named {@code name}; returns the job file.
     */
    private Path inAHome(String name, double seconds) throws Exception {
        home = dir.resolve("home");
        Files.createDirectories(dir.resolve("logs"));
        services = new Services(dir.resolve("logs")).env("BINFLEET_HOME", home.toString());
        Path job = dir.resolve(name + ".json");
        Files.writeString(
                job,
                "{\"name\": \"" + name + "\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\":"
                        + " \"replicas\", \"count\": 4}, \"simulation\": {\"name\": \"synthetic\", \"seconds\": "
                        + seconds + "}, \"merge\": {\"method\": \"mean\"}}");
        return job;
    }

    /** Runs {@code binfleet ARGS} to its end; its exit code and output. */
    private Cli.Outcome binfleet(String name, String... args) throws InterruptedException {
        Process p = services.start(name, args);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(name + " ended").isTrue();
        return new Cli.Outcome(p.exitValue(), services.log(name), "");
    }

    @Test
    void upRunsJobsWarm_clientsFindIt_andDownStopsIt() throws Exception {
        Path job = inAHome("tiny", 0.05);

        Cli.Outcome up = binfleet("up", "up", "--workers", "1");
        assertThat(up.exit()).as(up.out()).isZero();
        assertThat(up.out()).contains("local fleet up in").contains("`binfleet down` stops it");
        Optional<WarmFleet.Info> info = WarmFleet.running(home);
        assertThat(info).as("fleet.json names a live process").isPresent();
        assertThat(info.get().workers()).isEqualTo(1);
        assertThat(ProcessHandle.of(info.get().pid()).map(ProcessHandle::isAlive))
                .contains(true);

        Cli.Outcome again = binfleet("up-again", "up");
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out())
                .contains("a local fleet is already up")
                .contains("pid " + info.get().pid());

        // run submits to it: no broker of its own, and the pieces are run by the fleet's worker
        Cli.Outcome run = binfleet(
                "run", "run", job.toString(), "--out", dir.resolve("out").toString(), "--no-progress");
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("the local fleet of `binfleet up`").doesNotContain("embedded broker started");
        JsonNode result = Codec.readTree(Files.readAllBytes(dir.resolve("out").resolve("result.json")));
        assertThat(result.get("pieces")).hasSize(4);
        String jobId = result.get("jobId").asText();
        for (JsonNode piece : result.get("pieces")) {
            assertThat(piece.get("worker").asText())
                    .startsWith("fleet-" + info.get().pid());
        }

        // the fleet published it, with its own submitter
        assertThat(Files.readString(home.resolve(WarmFleet.LOG))).contains("job submitted jobId=" + jobId + " ");
        // and tells a spec's problems back, publishing nothing
        java.net.http.HttpResponse<String> bad = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + info.get().statusPort() + FleetServer.SUBMIT))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                        Files.readString(job).replace("\"count\": 4", "\"count\": 0")))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("parallel.count: must be an integer in 1..100000, got 0");

        // clients given no --bootstrap find the fleet
        Cli.Outcome status = binfleet("status", "status");
        assertThat(status.exit()).as(status.out()).isZero();
        assertThat(status.out()).containsPattern(jobId + " +DONE +4/4");
        // the fleet answers status itself, from its own watcher, with what reading the topics gives
        assertThat(info.get().statusPort()).isPositive();
        assertThat(StatusClient.ask(info.get().statusPort(), null))
                .hasValueSatisfying(r -> assertThat(r.text()).isEqualTo(status.out()));
        Cli.Outcome fromKafka =
                binfleet("status-kafka", "status", "--bootstrap", info.get().bootstrap());
        assertThat(fromKafka.out()).isEqualTo(status.out());
        Cli.Outcome one = binfleet("status-job", "status", jobId);
        assertThat(one.exit()).as(one.out()).isZero();
        assertThat(one.out()).contains("pieces    4/4 in (4 ok, 0 failed)").containsPattern("\\n +3 +OK +fleet-");
        assertThat(binfleet(
                                "status-job-kafka",
                                "status",
                                jobId,
                                "--bootstrap",
                                info.get().bootstrap())
                        .out())
                .isEqualTo(one.out());
        Cli.Outcome none = binfleet("status-none", "status", "no-such-job");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.out()).isEqualTo("no job no-such-job\n");
        // typed through ./binfleet, the fleet's answers are printed without a JVM started (one would refuse its
        // options)
        assertThat(launcher("status")).isEqualTo(new Cli.Outcome(0, status.out(), ""));
        assertThat(launcher("status", jobId)).isEqualTo(new Cli.Outcome(0, one.out(), ""));
        assertThat(launcher("status", "no-such-job")).isEqualTo(new Cli.Outcome(1, "", none.out()));

        Cli.Outcome down = binfleet("down", "down");
        assertThat(down.exit()).as(down.out()).isZero();
        assertThat(down.out())
                .contains("stopped the local fleet (pid " + info.get().pid() + ")");
        assertThat(ProcessHandle.of(info.get().pid())
                        .map(ProcessHandle::isAlive)
                        .orElse(false))
                .isFalse();
        assertThat(home.resolve(WarmFleet.INFO)).doesNotExist();
        assertThat(home.resolve("kafka")).as("the broker's data is kept").isDirectory();

        Cli.Outcome downAgain = binfleet("down-again", "down");
        assertThat(downAgain.exit()).isZero();
        assertThat(downAgain.out()).contains("no local fleet is up");
        Cli.Outcome noFleet = binfleet("status-down", "status");
        assertThat(noFleet.exit()).isEqualTo(1);
        assertThat(noFleet.out()).contains("needs --bootstrap HOST:PORT").contains("binfleet up");
        // with no fleet up, the launcher goes on to the command (whose JVM here refuses its options)
        assertThat(launcher("status").err()).contains("Unrecognized VM option '" + NO_JVM);
    }

    /** A JVM option no JVM knows: a launcher that starts one fails with it. */
    private static final String NO_JVM = "BinfleetStartsNoJvmHere";

    /**
     * {@code ./binfleet ARGS} as a user types it, in the test's fleet home, with JVM options that make any JVM it starts
     * refuse to run; its exit code, standard output and standard error.
     */
    private Cli.Outcome launcher(String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("bash", ROOT.resolve("binfleet").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("launcher.out").toFile())
                .redirectError(dir.resolve("launcher.err").toFile());
        pb.environment().put("BINFLEET_HOME", home.toString());
        pb.environment().put("BINFLEET_CDS", "0");
        pb.environment().put("BINFLEET_JAVA_OPTS", "-XX:+" + NO_JVM);
        pb.environment().remove("BINFLEET_BOOTSTRAP");
        pb.environment().remove("BINFLEET_TOPIC_PREFIX");
        Process p = pb.start();
        try {
            assertThat(p.waitFor(2, TimeUnit.MINUTES))
                    .as("./binfleet " + String.join(" ", args) + " ended")
                    .isTrue();
            return new Cli.Outcome(
                    p.exitValue(),
                    Files.readString(dir.resolve("launcher.out")),
                    Files.readString(dir.resolve("launcher.err")));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aFleetThatWasKilled_isNotTakenForRunning() throws Exception {
        home = dir.resolve("home");
        Files.createDirectories(home);
        Files.createDirectories(dir.resolve("logs"));
        services = new Services(dir.resolve("logs")).env("BINFLEET_HOME", home.toString());
        // what a fleet killed with SIGKILL leaves: a description naming a process that is gone
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        WarmFleet.write(home, new WarmFleet.Info(gone.pid(), "127.0.0.1:1", 2, java.util.List.of(), -1, -1, 0));

        Cli.Outcome down = binfleet("down", "down");
        assertThat(down.exit()).isZero();
        assertThat(down.out()).contains("no local fleet is up");
        assertThat(home.resolve(WarmFleet.INFO))
                .as("the stale description is removed")
                .doesNotExist();
    }

    /**
     * The launcher believes a status answer only from the process that fleet.json names: here a live process (this
     * test's JVM), whose port answers like the fleet but is not it.
     */
    @Test
    void aStatusAnswerFromAnotherProcess_isNotPrinted() throws Exception {
        home = dir.resolve("home");
        Files.createDirectories(home);
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
        other.createContext(FleetServer.PATH, exchange -> {
            try (exchange) {
                byte[] body = "JOB STATE\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        other.start();
        try {
            WarmFleet.write(
                    home,
                    new WarmFleet.Info(
                            ProcessHandle.current().pid(),
                            "127.0.0.1:1",
                            2,
                            List.of(),
                            -1,
                            other.getAddress().getPort(),
                            0));
            Cli.Outcome status = launcher("status");
            assertThat(status.out()).isEmpty();
            assertThat(status.err()).contains("Unrecognized VM option '" + NO_JVM);
        } finally {
            other.stop(0);
        }
    }

    /**
     * What the fleet keeps across a crash: a fleet SIGKILLed in the middle of a job leaves its broker's data and the
     * reducer's state in its home; the next {@code up} (on another port) takes the job's pieces up again once their
     * locks run out and ends the job DONE, every piece counted once.
     */
    @Test
    @Tag("heavy")
    void aFleetKilledMidJob_endsTheJobAfterTheNextUp() throws Exception {
        Path job = inAHome("slow", 4);
        assertThat(binfleet("up", "up", "--workers", "2").exit()).isZero();
        WarmFleet.Info first = WarmFleet.running(home).orElseThrow();

        Cli.Outcome submitted = binfleet("submit", "submit", job.toString());
        assertThat(submitted.exit()).as(submitted.out()).isZero();
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("(?m)^(slow-[0-9a-f]{8})$").matcher(submitted.out());
        assertThat(id.find()).as(submitted.out()).isTrue();
        String jobId = id.group(1);
        Thread.sleep(3000); // two pieces running
        ProcessHandle fleet = ProcessHandle.of(first.pid()).orElseThrow();
        fleet.destroyForcibly();
        fleet.onExit().get(30, TimeUnit.SECONDS);

        Cli.Outcome again = binfleet("up-again", "up", "--workers", "2");
        assertThat(again.exit()).as(again.out()).isZero();
        WarmFleet.Info second = WarmFleet.running(home).orElseThrow();
        assertThat(second.pid()).isNotEqualTo(first.pid());
        Optional<io.binfleet.core.message.JobResult> result = io.binfleet.kafka.ResultReader.fetch(
                io.binfleet.kafka.KafkaSettings.of(second.bootstrap()), jobId, java.time.Duration.ofMinutes(4));
        assertThat(result).as("the job ends after the second up").isPresent();
        assertThat(result.get().status()).isEqualTo("DONE");
        assertThat(result.get().pieces())
                .extracting(io.binfleet.core.message.JobResult.PieceInfo::index)
                .containsExactlyInAnyOrder(0, 1, 2, 3);
    }
}
