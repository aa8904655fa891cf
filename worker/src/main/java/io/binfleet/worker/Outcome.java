package io.binfleet.worker;

import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.Future;

/**
 * What a piece earned: the acknowledgement of its task record, to be given once the send of its result or failure
 * record (if any) has completed.
 *
 * @param sent the pending write of the piece's result or failure, or null when nothing was written
 */
record Outcome(AcknowledgeType ack, Future<RecordMetadata> sent) {
    static Outcome of(AcknowledgeType ack) {
        return new Outcome(ack, null);
    }

    /** The metric outcome: ok, retry or failed. */
    String label() {
        return ack == AcknowledgeType.ACCEPT ? "ok" : ack == AcknowledgeType.RELEASE ? "retry" : "failed";
    }
}
