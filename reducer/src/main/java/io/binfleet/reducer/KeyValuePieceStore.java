package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.PieceResult;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** {@link PieceStore} on a Kafka Streams store, keyed {@code jobId/000000042} so that a job's pieces sort by index under one prefix. */
final class KeyValuePieceStore implements PieceStore {
    private static final StringSerializer KEYS = new StringSerializer();
    private final KeyValueStore<String, byte[]> store;

    KeyValuePieceStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** jobId/000000042. */
    static String key(String jobId, int index) {
        String digits = Integer.toString(index);
        StringBuilder sb = new StringBuilder(jobId.length() + 10).append(jobId).append('/');
        for (int i = digits.length(); i < 9; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    @Override
    public boolean contains(String jobId, int index) {
        return store.get(key(jobId, index)) != null;
    }

    @Override
    public void put(String jobId, int index, byte[] piece) {
        store.put(key(jobId, index), piece);
    }

    @Override
    public PieceResult get(String jobId, int index) {
        byte[] b = store.get(key(jobId, index));
        return b == null ? null : Codec.read(b, PieceResult.class);
    }

    @Override
    public void delete(String jobId, int index) {
        store.delete(key(jobId, index));
    }

    @Override
    public int count(String jobId) {
        return keys(jobId).size();
    }

    @Override
    public List<PieceResult> load(String jobId) {
        List<PieceResult> out = new ArrayList<>();
        scan(jobId, (k, v) -> out.add(Codec.read(v, PieceResult.class)));
        return out;
    }

    @Override
    public void deleteAll(String jobId) {
        keys(jobId).forEach(store::delete);
    }

    private List<String> keys(String jobId) {
        List<String> keys = new ArrayList<>();
        scan(jobId, (k, v) -> keys.add(k));
        return keys;
    }

    /** The one walk over a job's pieces. */
    private void scan(String jobId, BiConsumer<String, byte[]> each) {
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(jobId + "/", KEYS)) {
            while (it.hasNext()) {
                var kv = it.next();
                each.accept(kv.key, kv.value);
            }
        }
    }
}
