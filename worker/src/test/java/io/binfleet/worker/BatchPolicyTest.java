package io.binfleet.worker;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPolicyTest {
    private static final long MS = 1_000_000;

    @Test
    void batchesStart_afterARunOfVeryShortPieces_notBefore() {
        BatchPolicy p = new BatchPolicy(5);
        for (int i = 0; i < BatchPolicy.SHORT_STREAK - 1; i++) {
            p.pollStarted();
            p.pieceRan(MS / 2, MS / 2);
            assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.STAY);
        }
        p.pollStarted();
        p.pieceRan(MS / 2, MS / 2);
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.ENTER_BATCHES);
        assertThat(p.batching()).isTrue();
    }

    @Test
    void refusedBatches_areNotEnteredUntilThePeriodEnds() {
        long[] now = {0};
        BatchPolicy p = new BatchPolicy(5, BatchPolicy.Thresholds.DEFAULT, () -> now[0]);
        p.refuseBatches(java.time.Duration.ofMinutes(5));
        for (int i = 0; i < 2 * BatchPolicy.SHORT_STREAK; i++) {
            p.pollStarted();
            p.pieceRan(MS / 2, MS / 2);
            assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.STAY);
        }
        now[0] = java.time.Duration.ofMinutes(5).toNanos();
        p.pollStarted();
        p.pieceRan(MS / 2, MS / 2);
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.ENTER_BATCHES);
    }

    @Test
    void aSlowerPieceAmongVeryShortOnes_doesNotHoldBatchesBack() {
        // in a fresh JVM on a busy machine one piece of no work in a few takes longer than the rest
        BatchPolicy p = new BatchPolicy(5);
        for (int i = 0; i < BatchPolicy.SHORT_STREAK - 1; i++) {
            p.pieceRan(MS / 2, 0);
            assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.STAY);
        }
        p.pieceRan(BatchPolicy.VERY_SHORT.toNanos() + 3 * MS, 0); // past VERY_SHORT, under SHORT
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.ENTER_BATCHES);
    }

    @Test
    void piecesThatAverageVeryShortOrMore_stayOneAtATime() {
        BatchPolicy p = new BatchPolicy(5);
        for (int i = 0; i < 3 * BatchPolicy.SHORT_STREAK; i++) {
            p.pieceRan(i % 2 == 0 ? MS / 2 : 2 * BatchPolicy.VERY_SHORT.toNanos() - MS / 2, 0);
            assertThat(p.pollEnded()).as("piece %d", i).isEqualTo(BatchPolicy.Next.STAY);
        }
    }

    @Test
    void aReallyLongPiece_keepsBatchesAway_untilItHasLeftTheAverage() {
        BatchPolicy p = new BatchPolicy(5);
        for (int i = 0; i < BatchPolicy.SHORT_STREAK - 1; i++) {
            p.pieceRan(MS / 2, 0);
        }
        p.pieceRan(BatchPolicy.SHORT_STREAK * BatchPolicy.VERY_SHORT.toNanos(), 0);
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.STAY);
        for (int i = 0; i < BatchPolicy.SHORT_STREAK - 1; i++) {
            p.pieceRan(MS / 2, 0);
            assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.STAY);
        }
        p.pieceRan(MS / 2, 0);
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.ENTER_BATCHES);
    }

    @Test
    void aPieceMadeLongByAPause_endsTheBatch_andBatchesStartAgainAtOnce() {
        BatchPolicy p = entered();
        p.pollStarted();
        p.pieceRan(MS / 2, MS);
        p.pieceRan(BatchPolicy.SHORT.toNanos() + MS, 2 * MS); // a 21 ms stall among pieces of 0.5 ms
        assertThat(p.stopping()).isTrue();
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.LEAVE_BATCHES);
        p.pollStarted();
        p.pieceRan(MS / 2, MS / 2);
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.ENTER_BATCHES);
    }

    @Test
    void batchesEnd_onTheFirstLongPiece_orPastTheBudget() {
        BatchPolicy p = entered();
        p.pollStarted();
        p.pieceRan(MS / 2, MS);
        assertThat(p.stopping()).isFalse();
        p.pieceRan(BatchPolicy.SHORT.toNanos(), 2 * MS);
        assertThat(p.stopping()).isTrue();
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.LEAVE_BATCHES);

        BatchPolicy q = entered();
        q.pollStarted();
        q.pieceRan(MS / 2, BatchPolicy.BATCH_BUDGET.toNanos() + 1);
        assertThat(q.stopping()).isTrue();
        assertThat(q.pollEnded()).isEqualTo(BatchPolicy.Next.LEAVE_BATCHES);
    }

    @Test
    void batchesGoOn_whileEveryPieceIsShort() {
        BatchPolicy p = entered();
        p.pollStarted();
        p.pieceRan(10 * MS, 15 * MS); // not very short, but short: the batch goes on
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.STAY);
        assertThat(p.batching()).isTrue();
    }

    @Test
    void aRecordIsReleasable_onlyWhileTheReleaseLeavesItTwoDeliveries() {
        BatchPolicy p = new BatchPolicy(5);
        assertThat(p.releasable(Optional.of((short) 1))).isTrue();
        assertThat(p.releasable(Optional.of((short) 3))).isTrue();
        assertThat(p.releasable(Optional.of((short) 4))).isFalse();
        assertThat(p.releasable(Optional.of((short) 5))).isFalse();
        assertThat(p.releasable(Optional.empty())).isTrue();
        assertThat(new BatchPolicy(2).releasable(Optional.of((short) 1))).isFalse();
    }

    private static BatchPolicy entered() {
        BatchPolicy p = new BatchPolicy(5);
        for (int i = 0; i < BatchPolicy.SHORT_STREAK; i++) {
            p.pieceRan(MS / 2, 0);
        }
        assertThat(p.pollEnded()).isEqualTo(BatchPolicy.Next.ENTER_BATCHES);
        return p;
    }
}
