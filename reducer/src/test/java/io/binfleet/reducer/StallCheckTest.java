package io.binfleet.reducer;

import io.binfleet.core.message.JobEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class StallCheckTest {
    private final StallCheck check = new StallCheck(Duration.ofSeconds(60));

    private static JobState job(String id, long lastProgressAt, JobEvent.State state) {
        return new JobState(id, id, 6, 2, state, null, 0, lastProgressAt);
    }

    @Test
    void aJobIsStalled_onlyAfterTheTimeoutWithoutProgress_andOnlyWhileRunning() {
        List<JobState> jobs = List.of(
                job("quiet", 1_000, JobEvent.State.RUNNING),
                job("busy", 50_000, JobEvent.State.RUNNING),
                job("ended", 0, JobEvent.State.DONE));
        assertThat(check.stalled(jobs, 61_000)).isEmpty();
        assertThat(check.stalled(jobs, 61_001)).extracting(JobState::jobId).containsExactly("quiet");
        assertThat(check.stalled(jobs, 200_000)).extracting(JobState::jobId).containsExactly("quiet", "busy");
    }

    @Test
    void theReason_namesTheMissingPieces() {
        assertThat(check.reason(job("j", 0, JobEvent.State.RUNNING), id -> List.of(1, 4)))
                .isEqualTo("STALLED: no progress for 60 s; missing pieces: 0, 2-3, 5");
    }

    @Test
    void ranges_compressConsecutiveIndices() {
        assertThat(StallCheck.ranges(new TreeSet<>(List.of(0, 1, 2, 5, 7, 8)))).isEqualTo("0-2, 5, 7-8");
        assertThat(StallCheck.ranges(new TreeSet<>())).isEmpty();
    }

    @Test
    void theCheckRunsATenthOfTheTimeout_between50msAnd1s() {
        assertThat(new StallCheck(Duration.ofSeconds(5)).interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(new StallCheck(Duration.ofHours(1)).interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new StallCheck(Duration.ofMillis(100)).interval()).isEqualTo(Duration.ofMillis(50));
    }
}
