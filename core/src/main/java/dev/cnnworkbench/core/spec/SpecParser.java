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

    /** A set that lists its members in the given order (error messages name them in that order). */
    private static Set<String> ordered(String... names) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    /** Reads the spec file at {@code file}, applies {@code overrides} ({@code path=value}), and parses it. */
    public ExperimentSpec parseFile(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException("", "spec file not found: " + file);
        } catch (IOException e) {
            throw new SpecException("", "cannot read spec file " + file + ": " + e.getMessage());
        }
        String base = file.getFileName().toString().replaceFirst("\\.json$", "");
        return parse(SpecJson.readTree(text, file.toString()), overrides, base);
    }

    /** Parses a spec tree; {@code defaultName} names the run when the spec has no {@code name}. */
    public ExperimentSpec parse(JsonNode root, List<String> overrides, String defaultName) {
        JsonNode tree = SpecOverrides.apply(root, overrides);
        List<SpecError> errors = new ArrayList<>();
        JsonReader r = new JsonReader(errors);
        JsonNode top = r.object(tree, "", SECTIONS);
        if (!tree.isObject()) {
            throw new SpecException(errors);
        }
        String name = r.string(top, "name", "", defaultName);
        String experiment = r.string(top, "experiment", "", Objects.requireNonNullElse(name, "default"));

        DataSpec data = DataSpec.read(r, top.get("data"));

        ModelSpec model = model(r, top.get("model"));

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

        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        return new ExperimentSpec(name, experiment, data, model, optimizer, schedule, regularization, augment, train,
                diagnostics, ensemble);
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
                if (!v.isIntegralNumber() || v.asInt() < 1) {
                    r.error("model.input[" + i + "]", "must be a whole number >= 1, got " + JsonReader.describe(v));
                    input.add(1);
                } else {
                    input.add(v.asInt());
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
        for (int i = 0; i < nodes.size(); i++) {
            layers.add(r.pluginRef(nodes.get(i), "model.layers[" + i + "]"));
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
