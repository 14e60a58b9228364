package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies command-line overrides ({@code train.epochs=1}, {@code model.layers[0].filters=32}) to a spec
 * tree. The value is read as JSON when it parses as JSON ({@code 0.003}, {@code true}, {@code [3,3]}),
 * otherwise as a plain string. Missing objects on the path are created. Stateless.
 */
public final class SpecOverrides {

    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_\\-]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SpecOverrides() {
    }

    /** Returns a copy of {@code root} with every override applied in order. */
    public static JsonNode apply(JsonNode root, List<String> overrides) {
        JsonNode tree = root.deepCopy();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new SpecException("--set " + override, "must look like path=value, e.g. train.epochs=1");
            }
            set(tree, override.substring(0, eq).trim(), value(override.substring(eq + 1)));
        }
        return tree;
    }

    private static JsonNode value(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception notJson) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    private static void set(JsonNode root, String path, JsonNode value) {
        if (!root.isObject()) {
            throw new SpecException("", "the spec must be a JSON object to apply --set " + path);
        }
        List<Object> steps = new ArrayList<>();
        for (String segment : path.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(segment);
            if (!m.matches()) {
                throw new SpecException("--set " + path, "bad path segment '" + segment
                        + "', expected names joined by dots with optional [index], e.g. model.layers[0].filters");
            }
            steps.add(m.group(1));
            Matcher idx = INDEX.matcher(m.group(2));
            while (idx.find()) {
                steps.add(Integer.parseInt(idx.group(1)));
            }
        }
        JsonNode node = root;
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step instanceof String key) {
                at.append(at.length() == 0 ? "" : ".").append(key);
                if (!node.isObject()) {
                    throw new SpecException(at.toString(), "cannot set a field inside a non-object");
                }
                ObjectNode obj = (ObjectNode) node;
                if (last) {
                    obj.set(key, value);
                } else {
                    if (!obj.has(key) || obj.get(key).isNull()) {
                        obj.set(key, steps.get(i + 1) instanceof Integer ? obj.arrayNode() : obj.objectNode());
                    }
                    node = obj.get(key);
                }
            } else {
                int index = (Integer) step;
                at.append('[').append(index).append(']');
                if (!(node instanceof ArrayNode array) || index >= array.size()) {
                    throw new SpecException(at.toString(), "no such element to override (the array has "
                            + (node.isArray() ? node.size() : 0) + " elements)");
                }
                if (last) {
                    array.set(index, value);
                } else {
                    node = array.get(index);
                }
            }
        }
    }
}
