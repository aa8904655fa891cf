package io.binfleet.core.spi;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Exact, compact JSON forms of a simulation's arrays for its checkpoints (base64 of their bytes, big-endian), and
 * their checked reading back: a field that is missing or of the wrong length is a {@link CheckpointException}.
 */
public final class Checkpoints {
    private Checkpoints() {}

    public static String doubles(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES);
        b.asDoubleBuffer().put(values);
        return Base64.getEncoder().encodeToString(b.array());
    }

    public static String longs(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES);
        b.asLongBuffer().put(values);
        return Base64.getEncoder().encodeToString(b.array());
    }

    public static String bytes(byte[] values) {
        return Base64.getEncoder().encodeToString(values);
    }

    /** {@code state.field} as doubles, exactly {@code length} of them. */
    public static double[] doubles(JsonNode state, String field, int length) {
        byte[] raw = raw(state, field, length * Double.BYTES);
        double[] out = new double[length];
        ByteBuffer.wrap(raw).asDoubleBuffer().get(out);
        return out;
    }

    /** {@code state.field} as longs, exactly {@code length} of them. */
    public static long[] longs(JsonNode state, String field, int length) {
        byte[] raw = raw(state, field, length * Long.BYTES);
        long[] out = new long[length];
        ByteBuffer.wrap(raw).asLongBuffer().get(out);
        return out;
    }

    /** {@code state.field} as bytes, exactly {@code length} of them. */
    public static byte[] bytes(JsonNode state, String field, int length) {
        return raw(state, field, length);
    }

    /** {@code state.field}, a number that must be there. */
    public static JsonNode number(JsonNode state, String field) {
        JsonNode v = state.get(field);
        if (v == null || !v.isNumber()) {
            throw new CheckpointException("checkpoint field " + field + " is not a number: " + v);
        }
        return v;
    }

    /** Checks {@code state.kind} and {@code state.v}, so that another simulation's or version's state is refused. */
    public static void check(JsonNode state, String kind, int version) {
        if (state == null || !state.isObject()) {
            throw new CheckpointException("checkpoint is not an object");
        }
        if (!kind.equals(state.path("kind").asText()) || state.path("v").asInt(-1) != version) {
            throw new CheckpointException(
                    "checkpoint is of " + state.path("kind").asText("?") + " v"
                            + state.path("v").asText("?") + ", not " + kind + " v" + version);
        }
    }

    private static byte[] raw(JsonNode state, String field, int bytes) {
        JsonNode v = state.get(field);
        if (v == null || !v.isTextual()) {
            throw new CheckpointException("checkpoint field " + field + " is missing");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException("checkpoint field " + field + " is not base64: " + e.getMessage());
        }
        if (raw.length != bytes) {
            throw new CheckpointException(
                    "checkpoint field " + field + " holds " + raw.length + " bytes, expected " + bytes);
        }
        return raw;
    }
}
