package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where the images come from, how they are decoded, and which of them a run uses.
 *
 * @param dataset      the format (checked when the data is loaded, so summary-only specs may name others): {@code fashion-mnist}, {@code mnist} or {@code idx} (an IDX folder),
 *                     {@code folder} (one subfolder per class, optionally under {@code train/}, {@code test/},
 *                     {@code val/}), {@code manifest} (a CSV file {@code path,label[,split]}), {@code cifar10} or
 *                     {@code cifar100} (the binary version's files)
 * @param path         the folder (or manifest, or single CIFAR file) holding the data
 * @param limit        at most this many training examples are used (after the validation hold-out); 0 = all
 * @param testLimit    only the first this-many test images are evaluated (quick checks); 0 = the whole test set
 * @param classes      the classes to keep, relabelled {@code 0..k-1} in the order listed (train, validation and
 *                     test); empty = every class as it is
 * @param perClass     at most this many training examples of each class (after the validation hold-out); 0 = no cap
 * @param channels     1 (grey: colour images become luma {@code 0.299 R + 0.587 G + 0.114 B}) or 3 (RGB: grey
 *                     images repeat their one channel); 0 = the format's own (IDX 1, everything else 3)
 * @param size         the images' {@code [height, width]}; empty = the data's own size, which must then be the
 *                     same for every image
 * @param resize       how an image of another size is fitted: {@code crop} (scale so the shorter side fits,
 *                     bilinear, then cut the centre) or {@code stretch} (scale each side, bilinear)
 * @param onBad        an image that cannot be decoded: {@code fail} (a data error naming it) or {@code skip}
 *                     (left out with a warning; the count is reported and recorded)
 * @param normalize    {@code none}, {@code mean} (subtract the training split's per-channel mean),
 *                     {@code mean_std} (also divide by its per-channel standard deviation) or {@code source} (the
 *                     statistics the saved network of {@code model.init} was trained with, none when it used none;
 *                     the default of a spec with {@code model.init} from a saved network, and only allowed there)
 * @param labels       CIFAR-100's label set: {@code fine} (100 classes) or {@code coarse} (20 superclasses)
 * @param testFraction the share of images held out as the test set when the data has no split of its own
 * @param splitSeed    seeds that hold-out (independent of {@code train.seed}, so trials share one test set)
 * @param classNames   for a manifest with numeric labels: the classes' names, which also bound the labels
 * @param cache        decode once into the data cache in the home and reuse it; {@code false} decodes every run
 */
public record DataSpec(String dataset, String path, int limit, @JsonProperty("test_limit") int testLimit,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> classes,
                       @JsonProperty("per_class") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int perClass,
                       int channels, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> size, String resize,
                       @JsonProperty("on_bad") String onBad, String normalize, String labels,
                       @JsonProperty("test_fraction") double testFraction, @JsonProperty("split_seed") long splitSeed,
                       @JsonProperty("class_names") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> classNames,
                       boolean cache) {

    public static final String DEFAULT_PATH = "/usr/share/datasets/fashion-mnist";
    /** Every accepted {@code data.dataset}. */
    public static final List<String> FORMATS = List.of("fashion-mnist", "mnist", "idx", "folder", "manifest",
            "cifar10", "cifar100");
    static final Set<String> FIELDS = JsonReader.fields("dataset", "path", "limit", "test_limit", "classes",
            "per_class", "channels", "size", "resize", "on_bad", "normalize", "labels", "test_fraction", "split_seed",
            "class_names", "cache");
    private static final List<String> RESIZE = List.of("crop", "stretch");
    private static final List<String> ON_BAD = List.of("fail", "skip");
    /** Every accepted {@code data.normalize}. */
    public static final List<String> NORMALIZE = List.of("none", "mean", "mean_std", "source");
    private static final List<String> LABELS = List.of("fine", "coarse");

    public DataSpec {
        classes = classes == null ? List.of() : List.copyOf(classes);
        size = size == null ? List.of() : List.copyOf(size);
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        resize = resize == null ? "crop" : resize;
        onBad = onBad == null ? "fail" : onBad;
        normalize = normalize == null ? "none" : normalize;
        labels = labels == null ? "fine" : labels;
        check("data.resize", resize, RESIZE);
        check("data.on_bad", onBad, ON_BAD);
        check("data.normalize", normalize, NORMALIZE);
        check("data.labels", labels, LABELS);
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new SpecException("data.channels", "must be 1 or 3, got " + channels);
        }
        if (!size.isEmpty() && (size.size() != 2 || size.get(0) < 1 || size.get(1) < 1)) {
            throw new SpecException("data.size", "must be [height, width] of whole numbers >= 1, got " + size);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new SpecException("data.test_fraction", "must be in [0, 1), got " + testFraction);
        }
    }

    /** Every class, no per-class cap, the format's own channels and size. */
    public DataSpec(String dataset, String path, int limit, int testLimit, List<Integer> classes, int perClass) {
        this(dataset, path, limit, testLimit, classes, perClass, 0, List.of(), "crop", "fail", "none", "fine", 0.2,
                0, List.of(), true);
    }

    /** Every class, no per-class cap. */
    public DataSpec(String dataset, String path, int limit, int testLimit) {
        this(dataset, path, limit, testLimit, List.of(), 0);
    }

    /** This data with {@code data.normalize} set to {@code normalize}. */
    public DataSpec withNormalize(String normalize) {
        return new DataSpec(dataset, path, limit, testLimit, classes, perClass, channels, size, resize, onBad, normalize,
                labels, testFraction, splitSeed, classNames, cache);
    }

    /** Whether the data is an IDX folder (Fashion-MNIST, MNIST or any other). */
    @JsonIgnore
    public boolean isIdx() {
        return dataset.equals("fashion-mnist") || dataset.equals("mnist") || dataset.equals("idx");
    }

    private static void check(String at, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new SpecException(at, "must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
        }
    }

    /** Reads the {@code data} section (every field has a default). Problems go to {@code r} with their paths. */
    static DataSpec read(JsonReader r, JsonNode node) {
        JsonNode d = r.object(node, "data", FIELDS);
        // the format is checked when the data is loaded (a data error), so a summary-only spec may name any
        String dataset = r.string(d, "dataset", "data", "fashion-mnist");
        int channels = (int) r.integer(d, "channels", "data", 0L, 0);
        if (channels != 0 && channels != 1 && channels != 3) {
            r.error("data.channels", "must be 1 (grey) or 3 (RGB), got " + channels);
            channels = 0;
        }
        double testFraction = r.number(d, "test_fraction", "data", 0.2, 0);
        if (testFraction >= 1) {
            r.error("data.test_fraction", "must be < 1, got " + testFraction);
            testFraction = 0.2;
        }
        return new DataSpec(dataset,
                r.string(d, "path", "data", DEFAULT_PATH),
                (int) r.integer(d, "limit", "data", 0L, 0),
                (int) r.integer(d, "test_limit", "data", 0L, 0),
                classes(r, d),
                (int) r.integer(d, "per_class", "data", 0L, 0),
                channels, size(r, d),
                choice(r, d, "resize", "crop", RESIZE),
                choice(r, d, "on_bad", "fail", ON_BAD),
                choice(r, d, "normalize", "none", NORMALIZE),
                choice(r, d, "labels", "fine", LABELS),
                testFraction,
                r.integer(d, "split_seed", "data", 0L, 0),
                names(r, d),
                r.bool(d, "cache", "data", true));
    }

    private static String choice(JsonReader r, JsonNode d, String key, String fallback, List<String> allowed) {
        String v = r.string(d, key, "data", fallback);
        if (v == null || !allowed.contains(v)) {
            r.error("data." + key, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
            return fallback;
        }
        return v;
    }

    private static List<Integer> size(JsonReader r, JsonNode d) {
        JsonNode v = d.get("size");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isIntegralNumber() && v.asLong() >= 1 && v.asLong() <= 4096) {
            return List.of(v.asInt(), v.asInt());
        }
        if (v.isArray() && v.size() == 2 && v.get(0).isIntegralNumber() && v.get(1).isIntegralNumber()
                && v.get(0).asLong() >= 1 && v.get(1).asLong() >= 1 && v.get(0).asLong() <= 4096
                && v.get(1).asLong() <= 4096) {
            return List.of(v.get(0).asInt(), v.get(1).asInt());
        }
        r.error("data.size", "must be a side (e.g. 32) or [height, width], each 1..4096, got "
                + JsonReader.describe(v));
        return List.of();
    }

    private static List<String> names(JsonReader r, JsonNode d) {
        List<String> out = new ArrayList<>();
        List<JsonNode> items = r.array(d, "class_names", "data");
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).isTextual() || items.get(i).asText().isBlank()) {
                r.error("data.class_names[" + i + "]", "must be a non-empty string, got "
                        + JsonReader.describe(items.get(i)));
            } else {
                out.add(items.get(i).asText());
            }
        }
        return out;
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
