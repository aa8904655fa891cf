package io.binfleet.reducer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link JobStore} on two Kafka Streams stores: job states (small, rewritten per piece) and specs (written once).
 * Running jobs' states are cached, so that a piece does not read and decode its job's state again; the cache lives as
 * long as this object, which is made anew whenever the task is (re)initialized.
 */
final class KeyValueJobStore implements JobStore {
    private final KeyValueStore<String, byte[]> states;
    private final KeyValueStore<String, byte[]> specs;
    private final Map<String, JobState> running = new HashMap<>();

    KeyValueJobStore(KeyValueStore<String, byte[]> states, KeyValueStore<String, byte[]> specs) {
        this.states = states;
        this.specs = specs;
    }

    @Override
    public JobState get(String jobId) {
        JobState cached = running.get(jobId);
        if (cached != null) {
            return cached;
        }
        byte[] v = states.get(jobId);
        JobState state = v == null ? null : Codec.read(v, JobState.class);
        if (state != null && !state.terminal()) {
            running.put(jobId, state);
        }
        return state;
    }

    @Override
    public void put(JobState state) {
        if (state.terminal()) {
            running.remove(state.jobId());
        } else {
            running.put(state.jobId(), state);
        }
        states.put(state.jobId(), Codec.write(state));
    }

    @Override
    public ObjectNode spec(String jobId) {
        byte[] v = specs.get(jobId);
        return v == null ? null : Codec.read(v, ObjectNode.class);
    }

    @Override
    public void putSpec(String jobId, ObjectNode spec) {
        specs.put(jobId, Codec.write(spec));
    }

    @Override
    public void deleteSpec(String jobId) {
        specs.delete(jobId);
    }

    @Override
    public List<JobState> running() {
        List<JobState> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = states.all()) {
            while (it.hasNext()) {
                JobState s = Codec.read(it.next().value, JobState.class);
                if (!s.terminal()) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
