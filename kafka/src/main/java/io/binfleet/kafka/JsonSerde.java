package io.binfleet.kafka;

import io.binfleet.core.codec.Codec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/**
 * A Kafka serde for one message record, through the strict {@link Codec}. Deserializing a record that is not
 * valid throws (a {@link io.binfleet.core.codec.CodecException} or an {@link IllegalArgumentException}): callers
 * read raw bytes where a bad record must go to the DLQ rather than stop them.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final Class<T> type;

    public JsonSerde(Class<T> type) {
        this.type = type;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : Codec.write(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : Codec.read(data, type);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public void close() {}
}
