package io.binfleet.worker;

import org.apache.kafka.clients.consumer.ShareConsumer;

/** Makes a worker thread's share consumers, subscribed to the tasks topic: real ones, or fakes in tests. */
@FunctionalInterface
interface ShareConsumers {
    /**
     * @param clientId   the consumer's client id (the worker thread's name, {@code -batch} for its batch consumer)
     * @param maxRecords the most records one poll acquires
     */
    ShareConsumer<String, byte[]> create(String clientId, int maxRecords);
}
