package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns spec JSON into an {@link ExperimentSpec}, filling documented defaults and reporting every
 * structural problem at once, each with its JSON path. Stateless and thread-safe.
 */
public final class SpecParser {

    static final Set<String> SECTIONS = ordered(
            "name", "experiment", "description", "data", "model", "optimizer", "schedule", "regularization",
            "augment", "train", "diagnostics", "ensemble", "sweep");
    private static final Set<String> MODEL = ordered("input", "init", "layers");
    private static final Set<String> REGULARIZATION = ordered("l1", "l2");
    private static final Set<String> DIAGNOSTICS = ordered("every", "histograms");
    static final List<String> INITS = List.of("xavier", "he", "small-gaussian");
    /** The longest run or experiment name the store keeps ({@code runs.name}, {@code runs.experiment}). */
    public static final int NAME_LIMIT = 255;
    /** The largest input dimension (channels, height or width) a spec may give. */
    static final int MAX_INPUT_DIM = 1_000_000;
    /** The most layers a model may list. */
    static final int MAX_LAYERS = 10_000;

    /** A set that lists its members in the given order (error messages name them in that order). */
    private static Set<String> ordered(String... names) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    /** Reads the spec file at {@code file}, applies {@code overrides} ({@code path=value}), and parses it. */
    public ExperimentSpec parseFile(Path file, List<String> overrides) {
        return parse(readFile(file), overrides, defaultName(file));
    }

    /** The JSON tree of the spec file at {@code file}; a missing or unreadable file, or bad JSON, is a SpecException. */
    public static JsonNode readFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException("", "spec file not found: " + file);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new SpecException("", "cannot read spec file " + file + ": " + e.getMessage());
        }
        return SpecJson.readTree(text, file.toString());
    }

    /** The name of a run whose spec file {@code file} gives none: the file's name without {@code .json}. */
    public static String defaultName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.json$", "");
    }

    /** Parses a spec tree; {@code defaultName} names the run when the spec has no {@code name}. */
    public ExperimentSpec parse(JsonNode root, List<String> overrides, String defaultName) {
        List<SpecError> errors = new ArrayList<>();
        ExperimentSpec spec = read(root, overrides, defaultName, errors);
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        return spec;
    }

    /**
     * Parses a spec tree leniently: every problem is appended to {@code errors} with its JSON path, and what could be
     * read is returned with defaults in place of the bad values (so that later checks can add their problems too).
     * When a layer could not be read, the model has no layers (so no later check names a layer by a wrong index);
     * the optimizer is {@code null} when it could not be read. Returns {@code null} when the tree is no object.
     */
    public ExperimentSpec read(JsonNode root, List<String> overrides, String defaultName, List<SpecError> errors) {
        JsonNode tree = SpecOverrides.apply(root, overrides);
        JsonReader r = new JsonReader(errors);
        JsonNode top = r.object(tree, "", SECTIONS);
        if (!tree.isObject()) {
            if (errors.isEmpty()) {
                errors.add(new SpecError("", "a spec must be a JSON object, got " + JsonReader.describe(tree)));
            }
            return null;
        }
        String name = limited(r, r.string(top, "name", "", defaultName), "name", NAME_LIMIT);
        String experiment = limited(r, r.string(top, "experiment", "", Objects.requireNonNullElse(name, "default")),
                "experiment", NAME_LIMIT);

        DataSpec data = DataSpec.read(r, top.get("data"));

        ModelSpec model = model(r, top.get("model"));
        if (model.transfer() != null && !(top.path("data").isObject() && top.path("data").has("normalize"))) {
            data = data.withNormalize("source"); // a network goes on seeing its inputs as it was trained on them
        } else if (model.transfer() == null && data.normalize().equals("source")) {
            r.error("data.normalize", "source takes the statistics of model.init's saved network, but model.init"
                    + " names none; use none, mean or mean_std");
        }

        PluginRef optimizer = top.has("optimizer") ? r.pluginRef(top.get("optimizer"), "optimizer") : null;
        if (!top.has("optimizer")) {
            r.error("optimizer", "is required, e.g. {\"type\": \"adam\", \"lr\": 0.001}");
        }
        PluginRef schedule = top.has("schedule") ? r.pluginRef(top.get("schedule"), "schedule")
                : PluginRef.of("constant");

        JsonNode g = r.object(top.get("regularization"), "regularization", REGULARIZATION);
        RegularizationSpec regularization = new RegularizationSpec(
                r.number(g, "l1", "regularization", 0, 0), r.number(g, "l2", "regularization", 0, 0));

        List<PluginRef> augment = new ArrayList<>();
        List<JsonNode> augNodes = r.array(top, "augment", "");
        for (int i = 0; i < augNodes.size(); i++) {
            augment.add(r.pluginRef(augNodes.get(i), "augment[" + i + "]"));
        }
        if (augment.contains(null)) {
            augment.clear(); // as for layers: no later check names an augmentation by a wrong index
        }

        TrainSpec train = TrainSpec.read(r, top);

        JsonNode diag = r.object(top.get("diagnostics"), "diagnostics", DIAGNOSTICS);
        DiagnosticsSpec diagnostics = new DiagnosticsSpec(
                (int) r.integer(diag, "every", "diagnostics", (long) DiagnosticsSpec.DEFAULT.every(), 0),
                r.bool(diag, "histograms", "diagnostics", DiagnosticsSpec.DEFAULT.histograms()));

        EnsembleSpec ensemble = null;
        try {
            ensemble = top.isObject() ? EnsembleSpec.read(top) : null;
        } catch (SpecException e) {
            errors.addAll(e.errors());
        }
        if (ensemble != null && train.earlyStopping() != null) {
            errors.add(new SpecError("train.early_stopping", "cannot be combined with an ensemble section: a snapshot"
                    + " ensemble needs the whole training budget"));
        }
        if (top.has("sweep")) {
            errors.add(new SpecError("sweep", "this is a sweep spec: start it with ./workbench sweep, not run"));
        }

        return new ExperimentSpec(name == null ? "run" : name, experiment == null ? "default" : experiment, data, model, optimizer, schedule, regularization, augment, train,
                diagnostics, ensemble);
    }

    /** {@code value}, or a short stand-in after an error when it is longer than the store keeps ({@code limit}). */
    private static String limited(JsonReader r, String value, String path, int limit) {
        if (value != null && value.length() > limit) {
            r.error(path, "must be at most " + limit + " characters (the store keeps no more), got " + value.length());
            return value.substring(0, limit);
        }
        return value;
    }

    private static ModelSpec model(JsonReader r, JsonNode node) {
        if (node == null) {
            r.error("model", "is required, with \"layers\"");
        }
        JsonNode m = r.object(node, "model", MODEL);
        List<Integer> input = new ArrayList<>();
        List<JsonNode> dims = r.array(m, "input", "model");
        if (!m.has("input")) {
            input = List.of(1, 28, 28);
        } else if (dims.size() != 3) {
            r.error("model.input", "must be [channels, height, width], got " + JsonReader.describe(m.get("input")));
            input = List.of(1, 28, 28);
        } else {
            for (int i = 0; i < 3; i++) {
                JsonNode v = dims.get(i);
                Long n = JsonReader.exact(v);
                if (n == null || n < 1 || n > MAX_INPUT_DIM) {
                    r.error("model.input[" + i + "]", "must be a whole number from 1 to " + MAX_INPUT_DIM + ", got "
                            + JsonReader.describe(v));
                    input.add(1);
                } else {
                    input.add(n.intValue());
                }
            }
        }
        JsonNode initNode = m.get("init");
        TransferSpec transfer = initNode != null && initNode.isObject() ? TransferSpec.read(r, initNode) : null;
        String init = transfer != null ? transfer.weights()
                : initNode != null && initNode.isObject() ? "xavier" : r.string(m, "init", "model", "xavier");
        if (init != null && !INITS.contains(init)) {
            r.error("model.init", "must be one of " + String.join(", ", INITS) + " (or an object starting from a"
                    + " checkpoint: {\"from\": \"run:RUN_ID\", \"freeze\": 2}), got \"" + init + "\"");
        }
        List<PluginRef> layers = new ArrayList<>();
        List<JsonNode> nodes = r.array(m, "layers", "model");
        if (nodes.isEmpty() && node != null) {
            r.error("model.layers", "must list at least one layer");
        }
        if (nodes.size() > MAX_LAYERS) {
            r.error("model.layers", "must list at most " + MAX_LAYERS + " layers, got " + nodes.size());
            nodes = List.of();
        }
        for (int i = 0; i < nodes.size(); i++) {
            layers.add(r.pluginRef(nodes.get(i), "model.layers[" + i + "]"));
        }
        if (layers.contains(null)) {
            layers.clear(); // the layers that could be read would be named by other indices
        }
        if (transfer != null && !nodes.isEmpty() && transfer.freeze() >= nodes.size()) {
            r.error("model.init.freeze", "must be less than the number of layers (" + nodes.size()
                    + "): the output layer is always replaced, got " + transfer.freeze());
        }
        return new ModelSpec(input, init, layers.stream().filter(Objects::nonNull).toList(), transfer);
    }

    /** The error for text that is not JSON, naming where the parser stopped. */
    static SpecException invalidJson(String source, JsonProcessingException e) {
        var loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return new SpecException("", source + " is not valid JSON" + where + ": " + e.getOriginalMessage());
    }
}
