package io.binfleet.worker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** Where running pieces' checkpoints are kept, by key {@code jobId/piece}: the compacted checkpoints topic. */
interface CheckpointStore {
    /** Saves a checkpoint; done once the returned write completes (acks=all). */
    Future<?> save(String key, byte[] value);

    /** The latest checkpoint of {@code key}, or null if it has none (never saved, or removed). */
    byte[] load(String key) throws Exception;

    /** Removes a piece's checkpoint (a tombstone). */
    void remove(String key);

    /** Keeps nothing (fakes in tests). */
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public Future<?> save(String key, byte[] value) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public byte[] load(String key) {
            return null;
        }

        @Override
        public void remove(String key) {}
    };
}
