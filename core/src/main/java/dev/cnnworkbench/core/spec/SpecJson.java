package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON reading and writing of specs, and their flattening into dotted parameter names. Thread-safe. */
public final class SpecJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SpecJson() {
    }

    /** Parses {@code text}; invalid JSON becomes a {@link SpecException} naming line and column. */
    public static JsonNode readTree(String text, String source) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw SpecParser.invalidJson(source, e);
        }
    }

    /** The spec as JSON (the form stored with a run and accepted back by {@link SpecParser}). */
    public static String write(ExperimentSpec spec) {
        return MAPPER.valueToTree(spec).toPrettyString();
    }

    public static JsonNode toTree(ExperimentSpec spec) {
        return MAPPER.valueToTree(spec);
    }

    /**
     * Flattens a spec into dotted names and leaf values ({@code optimizer.lr -> 0.001},
     * {@code model.layers[0].type -> "conv2d"}); numbers stay numbers, lists of scalars become their
     * JSON text.
     */
    public static Map<String, Object> flatten(ExperimentSpec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten(toTree(spec), "", out);
        return out;
    }

    private static void flatten(JsonNode node, String path, Map<String, Object> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(e.getValue(), JsonReader.child(path, e.getKey()), out));
        } else if (node.isArray() && containsObjects(node)) {
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), path + "[" + i + "]", out);
            }
        } else if (node.isArray()) {
            out.put(path, node.toString());
        } else if (node.isNumber()) {
            out.put(path, node.numberValue());
        } else if (node.isBoolean()) {
            out.put(path, node.asBoolean());
        } else if (!node.isNull()) {
            out.put(path, node.asText());
        }
    }

    private static boolean containsObjects(JsonNode array) {
        for (JsonNode item : array) {
            if (item.isContainerNode()) {
                return true;
            }
        }
        return false;
    }
}
