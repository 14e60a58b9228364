package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed fields out of one JSON object, collecting every problem with its JSON path instead of
 * stopping at the first. Not thread-safe; one per parse.
 */
final class JsonReader {

    private final List<SpecError> errors;

    JsonReader(List<SpecError> errors) {
        this.errors = errors;
    }

    List<SpecError> errors() {
        return errors;
    }

    /** Field names that list themselves in this order (error messages name them so). */
    static Set<String> fields(String... names) {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(names)));
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The object at {@code path}, or an empty object after an error when it is not one. */
    JsonNode object(JsonNode node, String path, Set<String> allowed) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            error(path, "must be an object, got " + describe(node));
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (allowed != null) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    error(child(path, key), "unknown field" + nearest(key, allowed) + "expected one of "
                            + String.join(", ", allowed));
                }
            }
        }
        return node;
    }

    /** {@code "; did you mean X? "} when a field name is a likely typo of {@code key}, else {@code ", "}. */
    static String nearest(String key, Set<String> allowed) {
        var distance = org.apache.commons.text.similarity.LevenshteinDistance.getDefaultInstance();
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return allowed.stream()
                .filter(n -> distance.apply(n, lower) <= Math.max(2, key.length() / 3))
                .min(java.util.Comparator.comparingInt(n -> distance.apply(n, lower)))
                .map(n -> " (did you mean " + n + "?); ").orElse(", ");
    }

    String string(JsonNode obj, String key, String path, String fallback) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                error(child(path, key), "is required");
            }
            return fallback;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            error(child(path, key), "must be a non-empty string, got " + describe(v));
            return fallback;
        }
        return v.asText();
    }

    /**
     * A whole number from {@code min} to {@link Integer#MAX_VALUE}; {@code fallback == null} makes it required. A
     * fraction, or a number beyond an {@code int}, is an error at the field's path (never silently wrapped).
     */
    long integer(JsonNode obj, String key, String path, Long fallback, long min) {
        return integer(obj, key, path, fallback, min, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}, exactly as written; problems go to the errors with the path. */
    long integer(JsonNode obj, String key, String path, Long fallback, long min, long max) {
        JsonNode v = obj.get(key);
        String at = child(path, key);
        long otherwise = fallback == null ? min : fallback;
        if (v == null || v.isNull()) {
            if (fallback == null) {
                error(at, "is required");
            }
            return otherwise;
        }
        Long n = exact(v);
        if (n == null && v.isNumber() && (v.isIntegralNumber() || Math.abs(v.asDouble()) >= 0x1p63)) {
            error(at, "must be <= " + max + ", got " + describe(v)); // a whole number beyond a long
            return otherwise;
        }
        if (n == null) {
            error(at, "must be a whole number, got " + describe(v));
            return otherwise;
        }
        if (n < min) {
            error(at, "must be >= " + min + ", got " + n);
            return otherwise;
        }
        if (n > max) {
            error(at, "must be <= " + max + ", got " + n);
            return otherwise;
        }
        return n;
    }

    /** The exact whole value of a JSON number ({@code 3}, {@code 3.0}, {@code 1e9}), or null (a fraction, too big). */
    static Long exact(JsonNode v) {
        if (v == null || !v.isNumber()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? v.longValue() : null;
        }
        if (!Double.isFinite(v.asDouble())) {
            return null;
        }
        java.math.BigDecimal d = v.decimalValue();
        try {
            return d.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException notWhole) {
            return null;
        }
    }

    double number(JsonNode obj, String key, String path, double fallback, double min) {
        JsonNode v = obj.get(key);
        String at = child(path, key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            error(at, "must be a number, got " + describe(v));
            return fallback;
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            error(at, "must be a finite number, got " + describe(v));
            return fallback;
        }
        if (!(d >= min)) {
            error(at, "must be >= " + min + ", got " + v.asText());
        }
        return d;
    }

    boolean bool(JsonNode obj, String key, String path, boolean fallback) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            error(child(path, key), "must be true or false, got " + describe(v));
            return fallback;
        }
        return v.asBoolean();
    }

    /** The elements of the array at {@code key}; an absent key gives an empty list. */
    List<JsonNode> array(JsonNode obj, String key, String path) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            error(child(path, key), "must be an array, got " + describe(v));
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /** A plugin reference: an object with a string {@code type} and JSON-valued parameters. */
    PluginRef pluginRef(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            error(path, "must be an object with a \"type\", got " + describe(node));
            return null;
        }
        String type = string(node, "type", path, null);
        Map<String, Object> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("type")) {
                params.put(e.getKey(), plain(e.getValue()));
            }
        }
        return type == null ? null : new PluginRef(type, params);
    }

    /** A JSON value as plain Java: Long or Double, String, Boolean, List, Map, or null. */
    static Object plain(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? v.asLong() : (Object) v.asDouble(); // beyond a long: out of every range
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(x -> list.add(plain(x)));
            return list;
        }
        if (v.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        return null;
    }

    void error(String path, String message) {
        errors.add(new SpecError(path, message));
    }

    static String describe(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "nothing";
        }
        String kind = v.isTextual() ? "string " : v.isArray() ? "array " : v.isObject() ? "object " : "";
        String text = v.toString();
        return kind + (text.length() > 40 ? text.substring(0, 37) + "..." : text);
    }
}
