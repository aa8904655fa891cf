package io.binfleet.reducer;

import io.binfleet.core.message.PieceResult;

import java.util.List;

/** The pieces of running jobs, each stored once per (job, index) as it came. */
interface PieceStore {
    boolean contains(String jobId, int index);

    /** Stores a piece's bytes (already read and checked). */
    void put(String jobId, int index, byte[] piece);

    void delete(String jobId, int index);

    /** The stored piece, or null. */
    PieceResult get(String jobId, int index);

    /** How many pieces of the job are stored. */
    int count(String jobId);

    /** The job's pieces, by index. */
    List<PieceResult> load(String jobId);

    /** Removes every piece of the job. */
    void deleteAll(String jobId);
}
