package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecOverrides;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A sweep spec file: an ordinary experiment spec (the base every trial starts from) plus a {@code sweep} section.
 * A trial's spec is the base with the trial's values set, {@code name} the trial's run name and
 * {@code experiment} the sweep's id, so trials are ordinary runs grouped under their sweep. Immutable.
 *
 * @param base  the spec without its {@code sweep} section
 * @param sweep the parsed {@code sweep} section
 */
public record SweepFile(ObjectNode base, SweepSpec sweep) {

    /**
     * Top-level sections the experiment spec parser does not read; trial specs leave them out. The {@code ensemble}
     * section is kept as soon as {@link ExperimentSpec} carries it (then {@code SpecParser} reads it).
     */
    static final List<String> NOT_FOR_SPEC_PARSER = Arrays.stream(ExperimentSpec.class.getRecordComponents())
            .anyMatch(c -> c.getName().equals("ensemble")) ? List.of() : List.of("ensemble");

    public SweepFile {
        base = base.deepCopy();
        base.remove("sweep");
    }

    /** Reads {@code file}, applies {@code overrides} ({@code path=value}, {@code sweep.*} paths included), parses the sweep. */
    public static SweepFile load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SpecException("", "spec file not found: " + file);
        } catch (IOException e) {
            throw new SpecException("", "cannot read spec file " + file + ": " + e.getMessage());
        }
        String fallback = file.getFileName().toString().replaceFirst("\\.json$", "");
        return of(SpecJson.readTree(text, file.toString()), overrides, fallback);
    }

    /** Parses a spec tree with a {@code sweep} section; {@code defaultName} is used when the spec names nothing. */
    public static SweepFile of(JsonNode root, List<String> overrides, String defaultName) {
        JsonNode tree = SpecOverrides.apply(root, overrides);
        if (!tree.isObject()) {
            throw new SpecException("", "a spec must be a JSON object");
        }
        if (!tree.has("sweep")) {
            throw new SpecException("sweep", "is required in a sweep spec, e.g. {\"method\": \"random\", \"trials\": 20,"
                    + " \"params\": {\"optimizer.lr\": {\"loguniform\": [1e-6, 1e-3]}}}");
        }
        JsonNode name = tree.get("name");
        String id = name != null && name.isTextual() && !name.asText().isBlank() ? name.asText() : defaultName;
        return new SweepFile((ObjectNode) tree, SweepSpecParser.parse(tree.get("sweep"), id));
    }

    /** The sweep's id: the {@code experiment} of every trial run. */
    public String id() {
        return sweep.name();
    }

    /** Every trial of the sweep, numbered from 1. */
    public List<Trial> trials() {
        return TrialGenerator.trials(sweep);
    }

    /** The spec tree of one trial, ready for {@code SpecParser} (with no overrides). */
    public ObjectNode trialSpec(Trial trial) {
        ObjectNode spec = (ObjectNode) SpecOverrides.apply(base, trial.overrides());
        NOT_FOR_SPEC_PARSER.forEach(spec::remove);
        spec.put("name", trial.name(id()));
        spec.put("experiment", id());
        return spec;
    }

    /** The same file with another sweep section (a refined stage). */
    public SweepFile withSweep(SweepSpec newSweep) {
        ObjectNode root = base.deepCopy();
        root.put("name", newSweep.name());
        return new SweepFile(root, newSweep);
    }

    /** The whole spec, base and sweep section, as a file holds it. */
    public ObjectNode toJson() {
        ObjectNode out = base.deepCopy();
        out.set("sweep", sweep.toJson());
        return out;
    }
}
