package io.binfleet.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RejoinTest {
    private static final long S = 1_000_000_000L;

    @Test
    void pausesDouble_upToTheMaximum() {
        Rejoin r = new Rejoin(Duration.ofHours(1));
        long t = 0;
        StringBuilder pauses = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            Duration p = r.failed(t);
            pauses.append(p.toSeconds()).append(' ');
            t += p.toNanos(); // fails again at once after each rebuild
        }
        assertThat(pauses.toString().trim()).isEqualTo("1 2 4 8 16 30 30");
    }

    @Test
    void givesUp_onlyAfterFailingForTheTimeout() {
        Rejoin r = new Rejoin(Duration.ofSeconds(10));
        r.failed(0);
        assertThat(r.givenUp(9 * S)).isFalse();
        r.failed(9 * S);
        assertThat(r.givenUp(11 * S)).isTrue();
        assertThat(r.failingFor(11 * S)).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void aConsumerThatJoined_startsANewSpell() {
        Rejoin r = new Rejoin(Duration.ofSeconds(10));
        r.failed(0);
        r.failed(S);
        r.joined();
        assertThat(r.givenUp(60 * S)).isFalse();
        assertThat(r.failed(60 * S)).isEqualTo(Rejoin.FIRST_PAUSE);
        assertThat(r.givenUp(65 * S)).isFalse();
    }

    @Test
    void aQuietSpellAfterARebuild_countsAsJoined() {
        Rejoin r = new Rejoin(Duration.ofSeconds(10));
        r.failed(0); // rebuilt at 1 s
        r.failed(2 * S); // rebuilt at 4 s
        // the rebuilt consumer went HEALTHY without failing, then failed again: a new spell, from the first pause
        long later = 4 * S + Rejoin.HEALTHY.toNanos();
        assertThat(r.failed(later)).isEqualTo(Rejoin.FIRST_PAUSE);
        assertThat(r.givenUp(later + 9 * S)).isFalse();
    }

    @Test
    void zeroTimeout_neverGivesUp() {
        Rejoin r = new Rejoin(Duration.ZERO);
        r.failed(0);
        assertThat(r.givenUp(Long.MAX_VALUE / 2)).isFalse();
    }
}
