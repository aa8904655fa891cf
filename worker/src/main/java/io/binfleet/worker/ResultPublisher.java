package io.binfleet.worker;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import io.binfleet.kafka.DeadLetter;
import io.binfleet.kafka.Topics;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Writes piece results and dead letters through the worker's one producer (idempotent, acks=all, shared by its
 * threads), and says once a write completed which acknowledgement its task record may get: a piece is accepted only
 * after its result is durable.
 */
final class ResultPublisher {
    private static final Logger LOGGER = LoggerFactory.getLogger(ResultPublisher.class);
    private final Producer<String, byte[]> producer;
    private final Topics topics;

    ResultPublisher(Producer<String, byte[]> producer, Topics topics) {
        this.producer = producer;
        this.topics = topics;
    }

    /** Sends a piece's result or failure; acknowledge its record only after {@link #confirm} of the returned write. */
    Future<RecordMetadata> publish(PieceResult result) {
        return producer.send(new ProducerRecord<>(topics.pieces(), result.jobId(), Codec.write(result)));
    }

    void deadLetter(String key, byte[] value, String error) {
        producer.send(new DeadLetter(key, value, error, "worker").toRecord(topics));
    }

    /** Pushes out what was sent, so that {@link #confirm} does not wait for a batch to fill. */
    void flush() {
        producer.flush();
    }

    /**
     * Waits for an outcome's write and gives the acknowledgement its record may get now: the outcome's own, or RELEASE
     * if its result was not written (so the piece runs again rather than being lost).
     */
    AcknowledgeType confirm(Outcome outcome, String worker, long offset) {
        if (outcome.sent() == null) {
            return outcome.ack();
        }
        try {
            outcome.sent().get();
            return outcome.ack();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AcknowledgeType.RELEASE;
        } catch (ExecutionException e) {
            LOGGER.warn(
                    "piece result not written, piece released worker={} offset={} error={}",
                    worker,
                    offset,
                    String.valueOf(e.getCause()));
            return AcknowledgeType.RELEASE;
        }
    }
}
