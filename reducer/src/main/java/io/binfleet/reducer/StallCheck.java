package io.binfleet.reducer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/** Which running jobs have stalled (no piece in for the stall timeout), and what they miss. Pure. */
final class StallCheck {
    private final Duration timeout;

    StallCheck(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** How often to look: a tenth of the timeout, between 50 ms and 1 s. */
    Duration interval() {
        Duration every = timeout.dividedBy(10);
        if (every.compareTo(Duration.ofSeconds(1)) > 0) {
            return Duration.ofSeconds(1);
        }
        return every.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : every;
    }

    /** The jobs of {@code running} with no progress for longer than the timeout at {@code now} (epoch ms). */
    List<JobState> stalled(List<JobState> running, long now) {
        List<JobState> out = new ArrayList<>();
        for (JobState s : running) {
            if (!s.terminal() && now - s.lastProgressAt() > timeout.toMillis()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The reason a stalled job fails with, naming the pieces not in ({@code present}: the indexes that are). */
    String reason(JobState job, Function<String, List<Integer>> present) {
        TreeSet<Integer> missing = new TreeSet<>();
        for (int i = 0; i < job.total(); i++) {
            missing.add(i);
        }
        missing.removeAll(present.apply(job.jobId()));
        return "STALLED: no progress for " + timeout.toSeconds() + " s; missing pieces: " + ranges(missing);
    }

    /** 0, 1, 2, 5 → "0-2, 5". */
    static String ranges(SortedSet<Integer> values) {
        StringBuilder sb = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int v : values) {
            if (start == null) {
                start = v;
            } else if (v != prev + 1) {
                append(sb, start, prev);
                start = v;
            }
            prev = v;
        }
        if (start != null) {
            append(sb, start, prev);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int start, int end) {
        if (sb.length() > 0) {
            sb.append(", ");
        }
        sb.append(start == end ? Integer.toString(start) : start + "-" + end);
    }
}
