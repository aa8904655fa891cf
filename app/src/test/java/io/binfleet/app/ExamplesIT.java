package io.binfleet.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples in the repository: every one validates, and those that run the user's own code run end to end. */
class ExamplesIT {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path dir;

    @Test
    void everyExample_validates() throws Exception {
        List<Path> jobs;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            jobs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(jobs).hasSizeGreaterThanOrEqualTo(6);
        for (Path job : jobs) {
            Cli.Outcome o = Cli.run("validate", job.toString());
            assertThat(o.exit()).as(job + ": " + o.err()).isZero();
        }
    }

    @Test
    void externalPython_runsThePythonProgramOnEveryPiece() throws Exception {
        Process probe = new ProcessBuilder("python3", "-c", "import numpy").start();
        Assumptions.assumeTrue(
                probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "python3 with numpy is not installed here");
        Path out = dir.resolve("out");
        Cli.Outcome o = Cli.run(
                "run",
                EXAMPLES.resolve("external-python/job.json").toString(),
                "--out",
                out.toString(),
                "--no-progress");
        assertThat(o.exit()).as(o.err()).isZero();
        JsonNode r = Codec.readTree(Files.readAllBytes(out.resolve("result.json")));
        assertThat(r.get("x")).hasSize(11);
        // U/N rises with T, from ordered (≈ −2) to disordered
        assertThat(r.get("y").get(0).asDouble()).isLessThan(-1.8);
        assertThat(r.get("y").get(10).asDouble()).isGreaterThan(-1.0);
        assertThat(r.get("series").has("U.err")).isTrue();
    }

    @Test
    void pythonPotts_theUsersOwnModelSplitAndSimulation_matchTheExactDensityOfStates() throws Exception {
        Process probe = new ProcessBuilder("python3", "--version").start();
        Assumptions.assumeTrue(
                probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "python3 is not installed here");
        Path out = dir.resolve("potts");
        Cli.Outcome o = Cli.run(
                "run", EXAMPLES.resolve("python-potts/job.json").toString(), "--out", out.toString(), "--no-progress");
        assertThat(o.exit()).as(o.err()).isZero();
        JsonNode r = Codec.readTree(Files.readAllBytes(out.resolve("result.json")));
        assertThat(r.get("pieces")).hasSize(2);
        // the exact g(E) of the 4 x 4 three-state Potts model, by transfer matrix over rows
        long[] g = pottsDensityOfStates(4, 3);
        List<Integer> reachable = new java.util.ArrayList<>();
        for (int b = 0; b < g.length; b++) {
            if (g[b] > 0) {
                reachable.add(-b);
            }
        }
        java.util.Collections.sort(reachable);
        JsonNode x = r.get("x");
        JsonNode y = r.get("y");
        // every reachable level and no other (E = -27, -29, -30, -31 cannot occur)
        assertThat(x).hasSize(reachable.size());
        double mean = 0;
        for (int i = 0; i < x.size(); i++) {
            assertThat(x.get(i).asDouble()).isEqualTo(reachable.get(i).doubleValue());
            mean += y.get(i).asDouble() - Math.log(g[-reachable.get(i)]);
        }
        mean /= x.size();
        // ln g up to a constant: within 0.5 of the exact one everywhere (a single Wang-Landau walker per window,
        // ln f down to 1e-5, joined: seen 0.1; ln g spans 15.6 here)
        for (int i = 0; i < x.size(); i++) {
            double exact = Math.log(g[-reachable.get(i)]);
            assertThat(y.get(i).asDouble() - mean)
                    .as("ln g(%s)", x.get(i))
                    .isCloseTo(exact, org.assertj.core.data.Offset.offset(0.5));
        }
    }

    /**
     * g(E) of the q-state Potts model on an L x L torus, E = -(number of equal neighbour pairs), indexed by -E: a
     * transfer matrix over row configurations, for each first row.
     */
    static long[] pottsDensityOfStates(int size, int q) {
        int rows = (int) Math.pow(q, size);
        int[][] spins = new int[rows][size];
        int[] horizontal = new int[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0, v = r; i < size; i++, v /= q) {
                spins[r][i] = v % q;
            }
            for (int i = 0; i < size; i++) {
                horizontal[r] += spins[r][i] == spins[r][(i + 1) % size] ? 1 : 0;
            }
        }
        int[][] vertical = new int[rows][rows];
        for (int a = 0; a < rows; a++) {
            for (int b = 0; b < rows; b++) {
                for (int i = 0; i < size; i++) {
                    vertical[a][b] += spins[a][i] == spins[b][i] ? 1 : 0;
                }
            }
        }
        int bonds = 2 * size * size;
        long[] g = new long[bonds + 1];
        for (int first = 0; first < rows; first++) {
            long[][] count = new long[rows][bonds + 1]; // [last row][satisfied bonds so far]
            count[first][horizontal[first]] = 1;
            for (int row = 1; row < size; row++) {
                long[][] next = new long[rows][bonds + 1];
                for (int a = 0; a < rows; a++) {
                    for (int e = 0; e <= bonds; e++) {
                        if (count[a][e] == 0) {
                            continue;
                        }
                        for (int b = 0; b < rows; b++) {
                            next[b][e + vertical[a][b] + horizontal[b]] += count[a][e];
                        }
                    }
                }
                count = next;
            }
            for (int a = 0; a < rows; a++) {
                for (int e = 0; e <= bonds; e++) {
                    if (count[a][e] > 0) {
                        g[e + vertical[a][first]] += count[a][e];
                    }
                }
            }
        }
        return g;
    }

    @Test
    void pottsDensityOfStates_countsEveryConfigurationOnce_andAgreesWithEnumeration() {
        long[] g = pottsDensityOfStates(4, 3);
        assertThat(java.util.Arrays.stream(g).sum()).isEqualTo((long) Math.pow(3, 16));
        assertThat(g[32]).isEqualTo(3); // the q ground states
        assertThat(g[28]).isEqualTo(16 * 2 * 3); // one spin of another state
        // 3 x 3 by brute force
        long[] small = pottsDensityOfStates(3, 3);
        long[] brute = new long[19];
        for (int c = 0; c < (int) Math.pow(3, 9); c++) {
            int[] s = new int[9];
            for (int i = 0, v = c; i < 9; i++, v /= 3) {
                s[i] = v % 3;
            }
            int e = 0;
            for (int i = 0; i < 9; i++) {
                int row = i / 3;
                int col = i % 3;
                e += s[i] == s[row * 3 + (col + 1) % 3] ? 1 : 0;
                e += s[i] == s[((row + 1) % 3) * 3 + col] ? 1 : 0;
            }
            brute[e]++;
        }
        assertThat(small).containsExactly(brute);
    }
}
