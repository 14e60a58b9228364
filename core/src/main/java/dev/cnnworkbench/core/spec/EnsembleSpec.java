package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The {@code ensemble} section of a spec: {@code {"type": "snapshot", "cycles": 5}} takes a snapshot of the network
 * at the end of each of {@code cycles} equal parts of the training budget (the cycles of the {@code snapshot}
 * schedule, when the spec uses it; with any other schedule this is the paper's "NoCycle" control) and scores the
 * ensembles of the last {@code m} snapshots for every {@code m}. {@code cycles} defaults to the snapshot schedule's.
 *
 * @param type   {@code snapshot}
 * @param cycles snapshots to take, {@code >= 1}
 * @param save   whether each snapshot's network is written to the run's artifact folder
 */
public record EnsembleSpec(String type, int cycles, boolean save) {

    static final Set<String> FIELDS = Set.of("type", "cycles", "save");

    public EnsembleSpec {
        if (cycles < 1) {
            throw new IllegalArgumentException("ensemble.cycles must be >= 1, got " + cycles);
        }
    }

    /**
     * The {@code ensemble} section of spec tree {@code root}, or {@code null} when it has none.
     *
     * @throws SpecException listing every problem with its path ({@code ensemble.cycles})
     */
    public static EnsembleSpec read(JsonNode root) {
        JsonNode e = root.get("ensemble");
        if (e == null || e.isNull()) {
            return null;
        }
        List<SpecError> errors = new ArrayList<>();
        if (!e.isObject()) {
            throw new SpecException("ensemble", "must be an object like {\"type\": \"snapshot\", \"cycles\": 5}");
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!FIELDS.contains(key)) {
                errors.add(new SpecError("ensemble." + key, "unknown field, expected one of type, cycles, save"));
            }
        }
        JsonNode type = e.get("type");
        if (type == null || !type.isTextual()) {
            errors.add(new SpecError("ensemble.type", "is required: snapshot"));
        } else if (!type.asText().equals("snapshot")) {
            errors.add(new SpecError("ensemble.type", "must be snapshot, got \"" + type.asText() + "\""));
        }
        JsonNode schedule = root.path("schedule");
        JsonNode cycles = e.has("cycles") ? e.get("cycles")
                : "snapshot".equals(schedule.path("type").asText()) ? schedule.get("cycles") : null;
        int count = 1;
        if (cycles == null) {
            errors.add(new SpecError("ensemble.cycles", "is required (or use the snapshot schedule, whose cycles it takes)"));
        } else if (JsonReader.exact(cycles) == null || JsonReader.exact(cycles) < 1 || JsonReader.exact(cycles) > 10_000) {
            errors.add(new SpecError("ensemble.cycles", "must be a whole number from 1 to 10000, got "
                    + JsonReader.describe(cycles)));
        } else {
            count = JsonReader.exact(cycles).intValue();
        }
        JsonNode save = e.get("save");
        if (save != null && !save.isBoolean()) {
            errors.add(new SpecError("ensemble.save", "must be true or false, got " + save));
        }
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        return new EnsembleSpec("snapshot", count, save == null || save.asBoolean());
    }
}
