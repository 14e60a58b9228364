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
                    error(child(path, key), "unknown field, expected one of " + String.join(", ", allowed));
                }
            }
        }
        return node;
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

    /** A whole number {@code >= min}; {@code fallback == null} makes it required. */
    long integer(JsonNode obj, String key, String path, Long fallback, long min) {
        JsonNode v = obj.get(key);
        String at = child(path, key);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                error(at, "is required");
                return min;
            }
            return fallback;
        }
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
            error(at, "must be a whole number, got " + describe(v));
            return fallback == null ? min : fallback;
        }
        long n = v.asLong();
        if (n < min) {
            error(at, "must be >= " + min + ", got " + n);
        }
        return n;
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
            return v.asLong();
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
