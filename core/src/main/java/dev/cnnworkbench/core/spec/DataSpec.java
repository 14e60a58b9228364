package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where the images come from, and which of them a run uses.
 *
 * @param dataset   the data set's name ({@code fashion-mnist}, or {@code mnist} for any IDX folder)
 * @param path      the folder holding the IDX files
 * @param limit     at most this many training examples are used (after the validation hold-out); 0 = all
 * @param testLimit only the first this-many test images are evaluated (quick checks); 0 = the whole test set
 * @param classes   the classes to keep, relabelled {@code 0..k-1} in the order listed (train, validation and test);
 *                  empty = every class as it is
 * @param perClass  at most this many training examples of each class (after the validation hold-out); 0 = no cap
 */
public record DataSpec(String dataset, String path, int limit, @JsonProperty("test_limit") int testLimit,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> classes,
                       @JsonProperty("per_class") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int perClass) {

    public static final String DEFAULT_PATH = "/usr/share/datasets/fashion-mnist";
    static final Set<String> FIELDS = JsonReader.fields("dataset", "path", "limit", "test_limit", "classes",
            "per_class");

    public DataSpec {
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** Every class, no per-class cap. */
    public DataSpec(String dataset, String path, int limit, int testLimit) {
        this(dataset, path, limit, testLimit, List.of(), 0);
    }

    /** Reads the {@code data} section (every field has a default). Problems go to {@code r} with their paths. */
    static DataSpec read(JsonReader r, JsonNode node) {
        JsonNode d = r.object(node, "data", FIELDS);
        return new DataSpec(r.string(d, "dataset", "data", "fashion-mnist"),
                r.string(d, "path", "data", DEFAULT_PATH),
                (int) r.integer(d, "limit", "data", 0L, 0),
                (int) r.integer(d, "test_limit", "data", 0L, 0),
                classes(r, d),
                (int) r.integer(d, "per_class", "data", 0L, 0));
    }

    private static List<Integer> classes(JsonReader r, JsonNode d) {
        List<JsonNode> items = r.array(d, "classes", "data");
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode v = items.get(i);
            String at = "data.classes[" + i + "]";
            if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 65_535) {
                r.error(at, "must be a class label (a whole number from 0), got " + JsonReader.describe(v));
            } else if (out.contains(v.asInt())) {
                r.error(at, "class " + v.asInt() + " is listed twice");
            } else {
                out.add(v.asInt());
            }
        }
        if (d.has("classes") && d.get("classes").isArray() && items.size() < 2) {
            r.error("data.classes", "must list at least 2 classes, got " + items.size());
        }
        return out;
    }
}
