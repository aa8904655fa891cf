package io.binfleet.app;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.PieceProgress;
import io.binfleet.core.message.PieceResult;
import io.binfleet.kafka.JobWatcher;
import io.binfleet.kafka.PieceIndex;
import io.binfleet.kafka.ResultReader;

import java.util.Comparator;
import java.util.Formatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What {@code binfleet status} prints: the job list, or one job with its pieces, from a caught-up job watcher. Made
 * by the command itself from a watcher of its own, or by the warm fleet of {@code binfleet up} from the watcher it keeps
 * (see {@link FleetServer}), which answers without a Kafka client's start.
 *
 * @param found false if the job asked for is not on the jobs topic ({@link #text} then says so)
 */
record StatusReport(boolean found, String text) {
    /**
     * The report for {@code jobId}, or the job list if it is null.
     *
     * @param published every piece result published for a job ({@link ResultReader#pieces} or a {@link PieceIndex}'s)
     */
    static StatusReport of(JobWatcher watcher, String jobId, Function<String, List<PieceResult>> published) {
        Map<String, JobEvent> jobs = watcher.all();
        long now = System.currentTimeMillis();
        if (jobId == null) {
            Map<String, Map<Integer, PieceProgress>> running = new HashMap<>();
            for (String id : jobs.keySet()) {
                running.put(id, watcher.running(id));
            }
            return new StatusReport(true, list(jobs, running, now));
        }
        JobEvent e = jobs.get(jobId);
        if (e == null) {
            return new StatusReport(false, "no job " + jobId + "\n");
        }
        Map<Integer, PieceResult> pieces = new TreeMap<>();
        for (PieceResult p : published.apply(jobId)) {
            pieces.putIfAbsent(p.piece(), p);
        }
        return new StatusReport(true, job(e, pieces, watcher.running(jobId), now));
    }

    private static String list(Map<String, JobEvent> jobs, Map<String, Map<Integer, PieceProgress>> running, long now) {
        Formatter out = new Formatter(new StringBuilder());
        out.format("%-32s %-10s %11s %9s %9s  %s%n", "JOB", "STATE", "PIECES", "ELAPSED", "ETA", "REASON");
        jobs.values().stream()
                .sorted(Comparator.comparingLong(JobEvent::submittedAt))
                .forEach(e -> out.format(
                        "%-32s %-10s %11s %9s %9s  %s%n",
                        e.jobId(),
                        e.state(),
                        e.done() + "/" + e.total(),
                        seconds(elapsed(e, now)),
                        eta(
                                e,
                                e.done()
                                        + JobFollower.fractionsDone(running.getOrDefault(e.jobId(), Map.of())
                                                .values()),
                                now),
                        e.reason() == null ? "" : e.reason()));
        return out.toString();
    }

    private static String job(
            JobEvent e, Map<Integer, PieceResult> pieces, Map<Integer, PieceProgress> running, long now) {
        Formatter out = new Formatter(new StringBuilder());
        // counted from the pieces listed below, so that the two always agree (the job's own count may be a moment
        // behind, or frozen when it ended while pieces were still running)
        long ok = pieces.values().stream()
                .filter(p -> p.outcome() == PieceResult.Outcome.OK)
                .count();
        long failed = pieces.size() - ok;
        Map<Integer, PieceProgress> reporting = new TreeMap<>(running);
        reporting.keySet().removeAll(pieces.keySet());
        out.format(
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
            out.format("reason    %s%n", e.reason());
        }
        out.format(
                "%n%6s  %-7s %-20s %9s %8s  %s%n", "piece", "outcome", "worker", "seconds", "attempt", "seed / error");
        for (int i = 0; i < e.total(); i++) {
            PieceResult p = pieces.get(i);
            PieceProgress r = reporting.get(i);
            if (p == null && r != null) {
                out.format(
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
                out.format("%6d  %-7s%n", i, "pending");
            } else {
                out.format(
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
        return out.toString();
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
