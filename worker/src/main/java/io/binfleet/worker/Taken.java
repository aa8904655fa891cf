package io.binfleet.worker;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;

import java.util.ArrayList;
import java.util.List;

/**
 * The records one poll of one share consumer acquired: those not started yet, the one running, and those handled
 * whose acknowledgement waits for their result to be written. A record renewed while it runs comes back from the
 * consumer as a new {@link ConsumerRecord} object, which replaces the old one here ({@link #replace}). Confined to its
 * worker thread.
 */
final class Taken {
    private final ShareConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records;
    private final List<Settled> done = new ArrayList<>();
    private int next;
    private ConsumerRecord<String, byte[]> running;

    Taken(ShareConsumer<String, byte[]> consumer, Iterable<ConsumerRecord<String, byte[]>> polled) {
        this.consumer = consumer;
        this.records = new ArrayList<>();
        polled.forEach(records::add);
    }

    ShareConsumer<String, byte[]> consumer() {
        return consumer;
    }

    int size() {
        return records.size();
    }

    boolean hasNext() {
        return next < records.size();
    }

    /** The next record to start; it becomes the {@link #running} one. */
    ConsumerRecord<String, byte[]> next() {
        running = records.get(next++);
        return running;
    }

    /** The record running now (as last handed back by the consumer). */
    ConsumerRecord<String, byte[]> running() {
        return running;
    }

    /** The running record's piece earned {@code outcome}. */
    void finished(Outcome outcome) {
        done.add(new Settled(running, outcome));
        running = null;
    }

    /** The running record was given back unstarted. */
    void released() {
        running = null;
    }

    /** Handled records whose acknowledgement is pending; {@link #clearDone} once acknowledged. */
    List<Settled> done() {
        return done;
    }

    void clearDone() {
        done.clear();
    }

    /** The records taken and not started. Removing from this view gives them up. */
    List<ConsumerRecord<String, byte[]>> waiting() {
        return records.subList(next, records.size());
    }

    /** Whether this poll holds records other than the running one. */
    boolean holdsOthers() {
        return !done.isEmpty() || hasNext();
    }

    /** Puts {@code record}, handed back after a renewal, in the place of the record with the same coordinates. */
    boolean replace(ConsumerRecord<String, byte[]> record) {
        if (running != null && sameRecord(running, record)) {
            running = record;
            return true;
        }
        List<ConsumerRecord<String, byte[]>> waiting = waiting();
        for (int i = 0; i < waiting.size(); i++) {
            if (sameRecord(waiting.get(i), record)) {
                waiting.set(i, record);
                return true;
            }
        }
        return false;
    }

    static boolean sameRecord(ConsumerRecord<?, ?> a, ConsumerRecord<?, ?> b) {
        return a.offset() == b.offset()
                && a.partition() == b.partition()
                && a.topic().equals(b.topic());
    }

    /** A handled record and what its piece earned. */
    record Settled(ConsumerRecord<String, byte[]> record, Outcome outcome) {}
}
