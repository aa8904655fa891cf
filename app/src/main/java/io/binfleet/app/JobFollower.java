package io.binfleet.app;

import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceProgress;
import io.binfleet.kafka.JobWatcher;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for a job to end, showing a progress bar (pieces done/total, counting running pieces' reported fractions,
 * elapsed, ETA) on a terminal.
 */
final class JobFollower {
    /** Steps of the bar per piece: it moves by hundredths of a piece. */
    private static final int STEPS = 100;

    private JobFollower() {}

    /** The fleet that was to finish the job stopped working; the job cannot end. */
    static final class FleetStopped extends Exception {
        private static final long serialVersionUID = 1L;

        FleetStopped(String reason) {
            super(reason);
        }
    }

    /**
     * @param problem why the fleet can no longer finish the job, checked as the job goes; empty while it can
     * @return the job's last event: DONE, FAILED or CANCELLED; or its latest state (null if none) if {@code timeout}
     *     passed first
     * @throws FleetStopped if {@code problem} reports one before the job ends
     */
    static JobEvent follow(
            JobWatcher watcher,
            String jobId,
            String title,
            int total,
            boolean bar,
            Duration timeout,
            Supplier<Optional<String>> problem)
            throws InterruptedException, FleetStopped {
        long deadline = System.nanoTime() + timeout.toNanos();
        ProgressBar progress = bar
                ? new ProgressBarBuilder()
                        .setTaskName(title)
                        .setInitialMax((long) total * STEPS)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(200)
                        .setUnit(" pieces", STEPS)
                        .setSpeedUnit(ChronoUnit.SECONDS)
                        // fractions of a piece per second for long pieces, thousands for short ones
                        .showSpeed(new DecimalFormat("#,##0.00"))
                        .continuousUpdate()
                        .setMaxRenderedLength(100)
                        .build()
                : null;
        long shown = 0;
        try {
            while (true) {
                JobEvent e = watcher.await(jobId, ev -> ev.state().terminal(), Duration.ofMillis(200))
                        .orElse(null);
                JobEvent latest = watcher.latest(jobId).orElse(null);
                if (progress != null && latest != null) {
                    // pieces in, plus how far the running ones say they are: a job of a few long pieces moves (and
                    // gets an ETA) before the first one ends; never backwards (a piece's last report may go a moment
                    // before its count comes in)
                    double done = latest.state() == JobEvent.State.DONE
                            ? total
                            : Math.min(
                                    total,
                                    latest.done()
                                            + fractionsDone(
                                                    watcher.running(jobId).values()));
                    long step = Math.round(done * STEPS);
                    if (step > shown) {
                        shown = step;
                        progress.stepTo(step);
                    }
                }
                if (e != null) {
                    return e;
                }
                Optional<String> stopped = problem.get();
                if (stopped.isPresent()) {
                    throw new FleetStopped(stopped.get());
                }
                if (System.nanoTime() > deadline) {
                    return latest;
                }
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }

    /** The sum of the fractions running pieces report (a piece that reports none counts 0). */
    static double fractionsDone(Collection<PieceProgress> running) {
        double sum = 0;
        for (PieceProgress p : running) {
            sum += p.fraction() == null ? 0 : p.fraction();
        }
        return sum;
    }

    static void summary(PrintStream out, JobEvent end, long wallMillis) {
        out.printf(
                "%s %s: %d/%d pieces, %.1f s%s%n",
                end.jobId(),
                end.state(),
                end.done(),
                end.total(),
                wallMillis / 1000.0,
                end.reason() == null ? "" : " (" + end.reason() + ")");
    }

    /** A warning line if pieces of {@code result} returned values that are not numbers (kept as gaps). */
    static void gaps(PrintStream out, JobResult result) {
        long pieces = result.pieces().stream().filter(p -> p.gaps() > 0).count();
        if (pieces > 0) {
            long values = result.pieces().stream()
                    .mapToLong(JobResult.PieceInfo::gaps)
                    .sum();
            out.printf(
                    "warning: %d piece%s returned NaN or infinite values: %d gap%s (null) in the result; see "
                            + "pieces[].gaps in result.json%n",
                    pieces, pieces == 1 ? "" : "s", values, values == 1 ? "" : "s");
        }
    }

    /** Piece indices as ranges: 0-2, 7. */
    static String ranges(java.util.List<Integer> indices) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < indices.size(); ) {
            int j = i;
            while (j + 1 < indices.size() && indices.get(j + 1) == indices.get(j) + 1) {
                j++;
            }
            sb.append(sb.length() == 0 ? "" : ", ").append(indices.get(i));
            if (j > i) {
                sb.append('-').append(indices.get(j));
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
