package io.binfleet.app;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands that need no broker: validate, plan, help. */
class OfflineCommandsTest {
    @TempDir
    Path dir;

    private Path job(String json) throws Exception {
        Path f = dir.resolve("job.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void validate_aBadSpec_exitsOne_listingEveryProblem() throws Exception {
        Path f = job(
                "{\"name\": \"x\", \"system\": {\"Ising2D\": {\"L\": 7}}, \"parallel\": {\"split\": \"replicas\", \"count\": 0},"
                        + " \"simulation\": {\"name\": \"synthetic\"}}");
        Cli.Outcome o = Cli.run("validate", f.toString());
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err())
                .isEqualTo(f + ": 2 problems:\n  system.Ising2D.L: must be an even integer in 4..256, got 7\n"
                        + "  parallel.count: must be an integer in 1..100000, got 0\n");
    }

    @Test
    void validate_aGoodSpec_exitsZero() throws Exception {
        Path f = job(
                "{\"name\": \"x\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": \"replicas\", \"count\": 4},"
                        + " \"simulation\": {\"name\": \"synthetic\"}}");
        Cli.Outcome o = Cli.run("validate", f.toString());
        assertThat(o.exit()).isZero();
        assertThat(o.out()).isEqualTo(f + ": valid (4 pieces, Synthetic, synthetic, merge mean)\n");
    }

    @Test
    void validate_aMissingFile_exitsOne() {
        Cli.Outcome o = Cli.run("validate", dir.resolve("nope.json").toString());
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).endsWith("nope.json: no such file\n");
    }

    @Test
    void plan_json_printsEachPiecesArgs() throws Exception {
        Path f = job(
                "{\"name\": \"x\", \"system\": {\"Ising2D\": {\"L\": 4}}, \"parallel\": {\"split\": \"grid\", \"param\": \"T\","
                        + " \"from\": 1, \"to\": 2, \"points\": 3, \"bins\": 2, \"extend\": 0}, \"simulation\": {\"name\": \"synthetic\"}}");
        // synthetic does not run on Ising2D: plan refuses like validate does
        assertThat(Cli.run("plan", f.toString()).exit()).isEqualTo(1);
        Path g = job(
                "{\"name\": \"x\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": {\"split\": \"grid\", \"param\": \"T\","
                        + " \"from\": 1, \"to\": 2, \"points\": 3, \"bins\": 2, \"extend\": 0}, \"simulation\": {\"name\": \"synthetic\"}}");
        Cli.Outcome o = Cli.run("plan", "--json", g.toString());
        assertThat(o.exit()).isZero();
        assertThat(o.out()).isEqualTo("[{\"param\":\"T\",\"values\":[1,1.5]},{\"param\":\"T\",\"values\":[1.5,2]}]\n");
        Cli.Outcome table = Cli.run("plan", g.toString());
        assertThat(table.out()).contains("x: 2 pieces (grid split of Synthetic, simulation synthetic, merge mean)");
    }

    @Test
    void plan_showsThePiecesOfTheUsersOwnSplit_eachOnItsSystem_andAJobWithoutANameIsNamedAfterItsFile()
            throws Exception {
        Process probe = new ProcessBuilder("python3", "--version").start();
        Assumptions.assumeTrue(probe.waitFor() == 0, "python3 is not installed here");
        Files.writeString(
                dir.resolve("cut.py"),
                "def halves(system, n):\n    return [(system, 0, n // 2), ({\"Chain\": {\"n\": n}}, n // 2, n)]\n");
        Path f = dir.resolve("my chain.json");
        Files.writeString(
                f,
                "{\"system\": {\"Chain\": {\"n\": 8}}, \"parallel\": {\"split\": \"python\", \"function\": \"cut:halves\","
                        + " \"n\": 8}, \"simulation\": {\"name\": \"python\", \"function\": \"cut:run\"}}");
        Cli.Outcome table = Cli.run("plan", f.toString());
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out())
                .contains("my-chain: 2 pieces (python split of Chain, simulation python, merge mean)")
                .contains("{\"args\":[0,4]}  on {\"Chain\":{\"n\":8}}")
                .contains("{\"args\":[4,8]}  on {\"Chain\":{\"n\":8}}");
        Cli.Outcome json = Cli.run("plan", "--json", f.toString());
        assertThat(json.out())
                .isEqualTo("[{\"args\":[0,4],\"system\":{\"Chain\":{\"n\":8}}},"
                        + "{\"args\":[4,8],\"system\":{\"Chain\":{\"n\":8}}}]\n");
    }

    @Test
    void help_listsEveryCommand() {
        Cli.Outcome o = Cli.run("--help");
        assertThat(o.exit()).isZero();
        assertThat(o.out())
                .contains(
                        "run",
                        "validate",
                        "plan",
                        "broker",
                        "worker",
                        "reducer",
                        "submit",
                        "status",
                        "cancel",
                        "result");
    }

    @Test
    void clientCommands_withoutABootstrap_sayWhatTheyNeed() {
        Assumptions.assumeTrue(System.getenv("BINFLEET_BOOTSTRAP") == null);
        for (String command : new String[] {"status", "worker", "reducer", "topics"}) {
            Cli.Outcome o = Cli.run(command);
            assertThat(o.exit()).isEqualTo(1);
            assertThat(o.err())
                    .isEqualTo(
                            command
                                    + " needs --bootstrap HOST:PORT (or BINFLEET_BOOTSTRAP), or a local fleet started by `binfleet up`\n");
        }
    }

    @Test
    void aMistypedCommand_getsSuggestions() {
        Cli.Outcome o = Cli.run("statsu");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).contains("Unmatched argument at index 0: 'statsu'").contains("binfleet status");
    }

    @Test
    void theQuickStatus_takesOnlyAPlainStatusCommandLine_andNeedsAFleetThatAnswers() {
        Assumptions.assumeTrue(System.getenv("BINFLEET_BOOTSTRAP") == null);
        assertThat(StatusCommand.quick("run", "x.json")).isEmpty();
        assertThat(StatusCommand.quick("status", "--bootstrap", "localhost:9092"))
                .isEmpty();
        assertThat(StatusCommand.quick("status", "a", "b")).isEmpty();
        // the tests' BINFLEET_HOME has no fleet: the command line goes to the command as usual
        assertThat(StatusCommand.quick("status")).isEmpty();
        assertThat(StatusCommand.quick("status", "some-job")).isEmpty();
    }

    @Test
    void aFleetWhoseStatusPortDoesNotAnswer_isNoAnswer() throws Exception {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        // the command then reads Kafka itself
        assertThat(StatusClient.ask(port, null)).isEmpty();
        assertThat(StatusClient.ask(port, "some-job")).isEmpty();
    }

    @Test
    void aFleetThatTakesNoSubmissions_leavesTheJobToTheClient() throws Exception {
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        io.binfleet.core.spec.JobSpec spec = io.binfleet.core.spec.SpecParser.builtin()
                .parse(("{\"name\": \"s\", \"system\": {\"Synthetic\": {\"points\": 1}}, \"parallel\": {\"split\":"
                                + " \"replicas\", \"count\": 2}, \"simulation\": {\"name\": \"synthetic\"}}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // nothing listens, or a fleet without the port: nothing was published, the client publishes it itself
        assertThat(FleetSubmit.submit(port, spec, null)).isEmpty();
        assertThat(FleetSubmit.submit(-1, spec, null)).isEmpty();
    }

    @Test
    void aQueryParameter_isFoundAndDecoded() {
        assertThat(FleetServer.query("folder=%2Ftmp%2Fa%20b&x=1", "folder")).isEqualTo("/tmp/a b");
        assertThat(FleetServer.query("x=1&folder=%2Fjobs", "folder")).isEqualTo("/jobs");
        assertThat(FleetServer.query("folderx=1", "folder")).isNull();
        assertThat(FleetServer.query(null, "folder")).isNull();
    }

    @Test
    void worker_takesPiecesAheadByDefault_andNotWithNoTakeAhead() {
        WorkerCommand byDefault = new WorkerCommand();
        new picocli.CommandLine(byDefault).parseArgs();
        assertThat(byDefault.takeAhead).isTrue();
        WorkerCommand off = new WorkerCommand();
        new picocli.CommandLine(off).parseArgs("--no-take-ahead");
        assertThat(off.takeAhead).isFalse();
    }
}
