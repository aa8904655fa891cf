package io.binfleet.app;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.PieceProgress;
import io.binfleet.core.message.PieceResult;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.ResultReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "List jobs with their progress, or show one job with its pieces.")
final class StatusCommand implements Callable<Integer> {
    @Parameters(paramLabel = "JOB", arity = "0..1", description = "A job id: show it with its pieces.")
    String jobId;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        KafkaSettings settings = kafka.connect();
        Map<String, JobEvent> jobs;
        Map<String, Map<Integer, PieceProgress>> running = new HashMap<>();
        try (JobWatcher watcher = new JobWatcher(settings).start()) {
            if (!watcher.awaitCaughtUp(Duration.ofSeconds(30))) {
                System.err.println("binfleet status: could not read "
                        + settings.topics().jobs() + " within 30 s. " + Binfleet.checkBrokers(settings.bootstrap()));
                return 1;
            }
            jobs = watcher.all();
            for (String id : jobs.keySet()) {
                running.put(id, watcher.running(id));
            }
        }
        PrintStream out = System.out;
        long now = System.currentTimeMillis();
        if (jobId == null) {
            out.printf("%-32s %-10s %11s %9s %9s  %s%n", "JOB", "STATE", "PIECES", "ELAPSED", "ETA", "REASON");
            jobs.values().stream()
                    .sorted(Comparator.comparingLong(JobEvent::submittedAt))
                    .forEach(e -> out.printf(
                            "%-32s %-10s %11s %9s %9s  %s%n",
                            e.jobId(),
                            e.state(),
                            e.done() + "/" + e.total(),
                            seconds(elapsed(e, now)),
                            eta(
                                    e,
                                    e.done()
                                            + JobFollower.fractionsDone(
                                                    running.get(e.jobId()).values()),
                                    now),
                            e.reason() == null ? "" : e.reason()));
            return 0;
        }
        JobEvent e = jobs.get(jobId);
        if (e == null) {
            System.err.println("no job " + jobId);
            return 1;
        }
        Map<Integer, PieceResult> pieces = new TreeMap<>();
        for (PieceResult p : ResultReader.pieces(settings, jobId)) {
            pieces.putIfAbsent(p.piece(), p);
        }
        // counted from the pieces listed below, so that the two always agree (the job's own count may be a moment
        // behind, or frozen when it ended while pieces were still running)
        long ok = pieces.values().stream()
                .filter(p -> p.outcome() == PieceResult.Outcome.OK)
                .count();
        long failed = pieces.size() - ok;
        Map<Integer, PieceProgress> reporting = new TreeMap<>(running.getOrDefault(jobId, Map.of()));
        reporting.keySet().removeAll(pieces.keySet());
        out.printf(
                "job       %s (%s)%nstate     %s%npieces    %d/%d in (%d ok, %d failed), %s%d pending%n"
                        + "elapsed   %s%neta       %s%n",
                e.jobId(),
                e.name(),
                e.state(),
                pieces.size(),
                e.total(),
                ok,
                failed,
                reporting.isEmpty() ? "" : reporting.size() + " running, ",
                e.total() - pieces.size() - reporting.size(),
                seconds(elapsed(e, now)),
                eta(e, pieces.size() + JobFollower.fractionsDone(reporting.values()), now));
        if (e.reason() != null) {
            out.printf("reason    %s%n", e.reason());
        }
        out.printf(
                "%n%6s  %-7s %-20s %9s %8s  %s%n", "piece", "outcome", "worker", "seconds", "attempt", "seed / error");
        for (int i = 0; i < e.total(); i++) {
            PieceResult p = pieces.get(i);
            PieceProgress r = reporting.get(i);
            if (p == null && r != null) {
                out.printf(
                        "%6d  %-7s %-20s %9.2f %8s  %s%n",
                        i,
                        "running",
                        r.worker(),
                        r.seconds(),
                        "",
                        r.fraction() == null
                                ? "no progress reported"
                                : String.format("%.0f%% done", 100 * r.fraction()));
            } else if (p == null) {
                out.printf("%6d  %-7s%n", i, "pending");
            } else {
                out.printf(
                        "%6d  %-7s %-20s %9.2f %8d  %s%n",
                        i,
                        p.outcome(),
                        p.worker(),
                        p.seconds(),
                        p.attempts(),
                        p.error() != null
                                ? p.error()
                                : p.seed()
                                        + (p.resumed() == null
                                                ? ""
                                                : String.format(
                                                        " (resumed at %.0f%%, %.1f s)",
                                                        100 * p.resumed().fromFraction(),
                                                        p.resumed().fromSeconds())));
            }
        }
        return 0;
    }

    private static long elapsed(JobEvent e, long now) {
        return (e.state().terminal() ? e.at() : now) - e.submittedAt();
    }

    /**
     * The time left if the rest goes as fast as what is done: pieces in plus the running pieces' fractions, so that a
     * job of a few long pieces has an ETA before the first one ends.
     */
    private static String eta(JobEvent e, double done, long now) {
        if (e.state().terminal() || done <= 0) {
            return e.state().terminal() ? "-" : "?";
        }
        long spent = now - e.submittedAt();
        return seconds((long) (spent * Math.max(0, e.total() - done) / done));
    }

    private static String seconds(long millis) {
        return String.format("%.1fs", millis / 1000.0);
    }
}
