package io.binfleet.core.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.spec.Limits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one strict JSON codec: unknown properties, duplicate keys, trailing tokens, NaN and Infinity, nulls for
 * primitives, missing record components and documents nested deeper than {@link Limits#MAX_DEPTH} are all
 * refused. No default typing: what is read is only ever the class asked for. Thread-safe.
 */
public final class Codec {
    private static final Pattern NON_STANDARD = Pattern.compile("Non-standard token '(-?\\w+)'");
    private static final ObjectMapper MAPPER = build(false);
    /** The same, reading NaN and Infinity as numbers: for what user programs print (see {@link #readOutput}). */
    private static final ObjectMapper LENIENT = build(true);

    /**
     * Marks a record component that may be absent, the exception to "every field present":
     * {@code @JsonInclude(NON_NULL) @JacksonInject(value = Codec.OPTIONAL + ".name", useInput = OptBoolean.TRUE)}
     * (Jackson wants the ids within one class distinct). Any id under this prefix reads as null when absent.
     */
    public static final String OPTIONAL = "binfleet.optional";

    private Codec() {}

    /** Null for every {@link #OPTIONAL} id: what an optional field that is absent reads as. */
    private static final class AbsentAsNull extends InjectableValues {
        @Override
        public Object findInjectableValue(
                Object valueId, DeserializationContext ctxt, BeanProperty forProperty, Object beanInstance)
                throws JsonMappingException {
            if (valueId instanceof String id && id.startsWith(OPTIONAL)) {
                return null;
            }
            return ctxt.reportBadDefinition(Object.class, "no injectable value " + valueId);
        }
    }

    private static ObjectMapper build(boolean nonNumericNumbers) {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .configure(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, nonNumericNumbers)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Limits.MAX_DEPTH)
                        .maxNumberLength(400)
                        .maxStringLength(Limits.MAX_MESSAGE_BYTES)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                // an optional field: written only when set, read as null when absent (see OPTIONAL)
                .injectableValues(new AbsentAsNull())
                .addModule(new SimpleModule("binfleet-gaps")
                        .addSerializer(double[].class, new GapsWriter())
                        .addDeserializer(double[].class, new GapsReader()))
                .build();
    }

    /**
     * Builds and caches the readers and writers of {@code types} now, so that a service's first message does not
     * pay for them (tens of milliseconds each on a cold JVM).
     */
    public static void prime(Class<?>... types) {
        for (Class<?> type : types) {
            MAPPER.canSerialize(type);
            MAPPER.canDeserialize(MAPPER.constructType(type));
        }
    }

    /**
     * Writes {@code sample} and reads it back {@code times} times: in a fresh JVM the first few dozen messages of a
     * type are written and read by code not compiled yet (~1 ms each on a small machine), and a service that does this
     * while it starts does not pay it in its first job's messages.
     */
    public static void warmUp(Object sample, int times) {
        for (int i = 0; i < times; i++) {
            read(write(sample), sample.getClass());
        }
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Any value as a tree (records, maps, arrays). */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String writeString(Object value) {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    /** Indented, for files people read. */
    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads one JSON document.
     *
     * @throws CodecException naming the path and position where the document stops being valid JSON
     */
    public static JsonNode readTree(byte[] json) {
        return readTree(json, "spec");
    }

    /** Reads one JSON document; {@code root} names the document itself in errors (e.g. "spec"). */
    public static JsonNode readTree(byte[] json, String root) {
        return tree(MAPPER, json, root);
    }

    /**
     * Reads one JSON document a user's program printed: as {@link #readTree(byte[], String)}, but {@code NaN},
     * {@code Infinity} and {@code -Infinity} (what Python's {@code json.dumps} writes by default) are read as numbers,
     * for the caller to treat as gaps.
     */
    public static JsonNode readOutput(byte[] json, String root) {
        return tree(LENIENT, json, root);
    }

    private static JsonNode tree(ObjectMapper mapper, byte[] json, String root) {
        try {
            JsonNode node = mapper.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new CodecException(root, "is empty, expected a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw failure(e, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readTree(String json) {
        return readTree(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one message of {@code type}, strictly. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new CodecException("message", "is null, expected a JSON object", null);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw failure(e, "message");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CodecException failure(JsonProcessingException e, String root) {
        String path = root;
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        // a '}' where a field name should be: a trailing comma, in the object itself (not in its last field)
        boolean trailingComma = original.startsWith("Unexpected character ('}'")
                && original.contains("was expecting double-quote to start field name");
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            path = mappingPath(m, root);
        } else if (e.getProcessor() instanceof JsonParser p) {
            JsonStreamContext context = p.getParsingContext();
            path = trailingComma ? objectPath(context, root) : streamPath(context, root);
        }
        String where = e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
        String message;
        Matcher nonStandard = NON_STANDARD.matcher(original);
        if (e instanceof StreamConstraintsException && original.contains("nesting depth")) {
            message = "nested deeper than " + Limits.MAX_DEPTH + " levels" + where;
        } else if (e instanceof StreamConstraintsException) {
            message = "too large: " + firstLine(original) + where;
        } else if (nonStandard.find()) {
            message = nonStandard.group(1) + " is not a JSON number" + where;
        } else if (original.startsWith("Duplicate field")) {
            message = "duplicate key" + where;
        } else if (trailingComma) {
            message = "a comma before '}'" + where + ": JSON allows no trailing comma";
        } else if (original.startsWith("No content to map")) {
            message = "is empty, expected a JSON object";
        } else if (e instanceof JsonMappingException) {
            message = firstLine(original);
        } else {
            message = "not valid JSON" + where + ": " + firstLine(original);
        }
        return new CodecException(path, message, e);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String mappingPath(JsonMappingException e, String root) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? root : sb.toString();
    }

    /** The dotted path of the value a parser stopped in, e.g. {@code system.Ising2D.L} or {@code parallel.bins[2]}. */
    /** The path of the object {@code context} is in (the field it was reading left out). */
    private static String objectPath(JsonStreamContext context, String root) {
        JsonStreamContext parent = context.getParent();
        return parent == null ? root : streamPath(parent, root);
    }

    static String streamPath(JsonStreamContext context, String root) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                parts.push(c.getCurrentName());
            } else if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (sb.length() > 0 && !p.startsWith("[")) {
                sb.append('.');
            }
            sb.append(p);
        }
        return sb.length() == 0 ? root : sb.toString();
    }

    /** A {@code double[]} with gaps: NaN and ±Infinity are written as {@code null}. */
    private static final class GapsWriter extends JsonSerializer<double[]> {
        @Override
        public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray(values, values.length);
            for (double v : values) {
                if (Double.isFinite(v)) {
                    gen.writeNumber(v);
                } else {
                    gen.writeNull();
                }
            }
            gen.writeEndArray();
        }
    }

    /** A {@code double[]} with gaps: {@code null} is read as NaN; anything but numbers and nulls is refused. */
    private static final class GapsReader extends JsonDeserializer<double[]> {
        @Override
        public double[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartArrayToken()) {
                return (double[]) ctxt.handleUnexpectedToken(double[].class, p);
            }
            double[] out = new double[16];
            int n = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                double v;
                if (t == JsonToken.VALUE_NULL) {
                    v = Double.NaN;
                } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    v = p.getDoubleValue();
                } else {
                    return (double[]) ctxt.handleUnexpectedToken(double.class, p);
                }
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = v;
            }
            return n == out.length ? out : java.util.Arrays.copyOf(out, n);
        }
    }
}
