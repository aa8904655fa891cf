package io.binfleet.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * A record for the dead-letter topic: the original key and value as they came, with the reason in the
 * {@value #ERROR_HEADER} header and the service that gave up on it in {@value #SOURCE_HEADER}. The one shape every
 * service writes, whether through a producer ({@link #toRecord}) or a Kafka Streams sink ({@link #headers}).
 *
 * @param key    the original key (may be null)
 * @param value  the original value (may be null)
 * @param error  why the record could not be handled
 * @param source the service that wrote it: {@code worker} or {@code reducer}
 */
public record DeadLetter(String key, byte[] value, String error, String source) {
    public static final String ERROR_HEADER = "binfleet.error";
    public static final String SOURCE_HEADER = "binfleet.source";

    public Headers headers() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ERROR_HEADER, error.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    public ProducerRecord<String, byte[]> toRecord(Topics topics) {
        return new ProducerRecord<>(topics.dlq(), null, key, value, headers());
    }
}
