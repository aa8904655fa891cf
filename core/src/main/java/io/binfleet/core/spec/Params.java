package io.binfleet.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the fields of one JSON object of a spec, checking each against its rule and recording every problem
 * (with its dotted path) in a shared {@link Problems}. A getter that finds a problem records it and returns
 * {@code null} (or the default), so that reading goes on and all problems are reported at once.
 * {@link #finish()} reports the fields nobody asked for as unknown.
 */
public final class Params {
    private final ObjectNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new TreeSet<>();

    private Params(ObjectNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /**
     * Wraps {@code value} found at {@code path}; a value that is not an object is recorded as a problem and
     * read as an empty object.
     */
    public static Params of(JsonNode value, String path, Problems problems) {
        if (value instanceof ObjectNode object) {
            return new Params(object, path, problems);
        }
        problems.add(path, "must be an object, got " + describe(value));
        return new Params(JsonNodeFactory.instance.objectNode(), path, problems);
    }

    public String path() {
        return path;
    }

    /** The dotted path of a field of this object. */
    public String path(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public Problems problems() {
        return problems;
    }

    /** Records a problem at a field of this object. */
    public void problem(String field, String rule) {
        problems.add(path(field), rule);
    }

    /** Declares {@code field} known and returns its raw value, or {@code null} if it is absent. */
    public JsonNode raw(String field) {
        known.add(field);
        return node.get(field);
    }

    /** Declares {@code fields} known without reading them. */
    public void declare(String... fields) {
        known.addAll(List.of(fields));
    }

    public boolean has(String field) {
        known.add(field);
        return node.has(field);
    }

    /** A required integer in {@code [min, max]}. */
    public Integer integer(String field, int min, int max) {
        JsonNode v = raw(field);
        if (v == null) {
            problem(field, "is required");
            return null;
        }
        return checkInteger(field, v, min, max);
    }

    /** An optional integer in {@code [min, max]}. */
    public int integer(String field, int min, int max, int dflt) {
        JsonNode v = raw(field);
        if (v == null) {
            return dflt;
        }
        Integer i = checkInteger(field, v, min, max);
        return i == null ? dflt : i;
    }

    private Integer checkInteger(String field, JsonNode v, int min, int max) {
        if (!isWhole(v) || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            problem(field, "must be an integer in " + min + ".." + max + ", got " + describe(v));
            return null;
        }
        return (int) v.asLong();
    }

    /** An optional integer of any size that fits a long. */
    public Long longValue(String field) {
        JsonNode v = raw(field);
        if (v == null) {
            return null;
        }
        if (!isWhole(v) || !v.canConvertToLong()) {
            problem(field, "must be an integer in " + Long.MIN_VALUE + ".." + Long.MAX_VALUE + ", got " + describe(v));
            return null;
        }
        return v.asLong();
    }

    /** A required number in {@code [min, max]}. */
    public Double number(String field, double min, double max) {
        JsonNode v = raw(field);
        if (v == null) {
            problem(field, "is required");
            return null;
        }
        return checkNumber(field, v, min, max);
    }

    /** An optional number in {@code [min, max]}. */
    public double number(String field, double min, double max, double dflt) {
        JsonNode v = raw(field);
        if (v == null) {
            return dflt;
        }
        Double d = checkNumber(field, v, min, max);
        return d == null ? dflt : d;
    }

    /** An optional finite number of any size. */
    public double number(String field, double dflt) {
        JsonNode v = raw(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            problem(field, "must be a number, got " + describe(v));
            return dflt;
        }
        return v.asDouble();
    }

    /** A required finite number of any size. */
    public Double number(String field) {
        JsonNode v = raw(field);
        if (v == null) {
            problem(field, "is required");
            return null;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            problem(field, "must be a number, got " + describe(v));
            return null;
        }
        return v.asDouble();
    }

    private Double checkNumber(String field, JsonNode v, double min, double max) {
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
            problem(field, "must be a number in " + range(min, max) + ", got " + describe(v));
            return null;
        }
        return v.asDouble();
    }

    /** A required non-empty string. */
    public String string(String field) {
        JsonNode v = raw(field);
        if (v == null) {
            problem(field, "is required");
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            problem(field, "must be a non-empty string, got " + describe(v));
            return null;
        }
        return v.asText();
    }

    /** An optional string that must be one of {@code allowed}. */
    public String choice(String field, Collection<String> allowed, String dflt) {
        JsonNode v = raw(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            problem(field, "must be one of " + quoted(allowed) + ", got " + describe(v));
            return dflt;
        }
        return v.asText();
    }

    /** An optional boolean. */
    public boolean bool(String field, boolean dflt) {
        JsonNode v = raw(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            problem(field, "must be true or false, got " + describe(v));
            return dflt;
        }
        return v.asBoolean();
    }

    /** A required nested object, or an empty one (with a problem recorded) if it is absent or not an object. */
    public Params object(String field) {
        JsonNode v = raw(field);
        if (v == null) {
            problem(field, "is required");
            return new Params(JsonNodeFactory.instance.objectNode(), path(field), problems);
        }
        return of(v, path(field), problems);
    }

    /** An optional nested object, {@code null} if absent. */
    public Params optionalObject(String field) {
        JsonNode v = raw(field);
        return v == null ? null : of(v, path(field), problems);
    }

    /** Reports every field of this object that no getter asked for. */
    public void finish() {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                unknown.add(f);
            }
        }
        for (String f : unknown) {
            problem(f, "unknown field (known: " + String.join(", ", known) + ")");
        }
    }

    /** The fields of this object, in document order. */
    public List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** True if {@code v} is a number with no fractional part. */
    public static boolean isWhole(JsonNode v) {
        if (v == null || !v.isNumber()) {
            return false;
        }
        if (v.isIntegralNumber()) {
            return true;
        }
        double d = v.asDouble();
        return Double.isFinite(d) && d == Math.rint(d);
    }

    /** How a value is shown in a problem: JSON text for scalars, a word for containers. */
    public static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        String text = v.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    /** A number as people write it: 4 rather than 4.0, 1.0E-6 as is. */
    public static String format(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static String range(double min, double max) {
        return "[" + format(min) + ", " + format(max) + "]";
    }

    private static String quoted(Collection<String> names) {
        return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
    }
}
