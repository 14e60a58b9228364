package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code sweep} section of a spec into a {@link SweepSpec}, reporting every problem at once, each with
 * its JSON path ({@code sweep.params.optimizer.lr.loguniform}). Defaults: {@code method} random, {@code parallel} 1,
 * {@code seed} 1, {@code objective} {@code val_accuracy} (direction {@code max} for accuracies, {@code min} for
 * losses), {@code explosion_factor} 3. A grid needs a point count for each continuous domain: the domain's own
 * {@code grid_points} or the section's {@code grid_points}; an {@code int} domain without one tries every whole
 * number. Stateless and thread-safe.
 */
public final class SweepSpecParser {

    static final Set<String> FIELDS = Set.of("name", "method", "trials", "parallel", "seed", "objective", "params",
            "grid_points", "explosion_factor", "early_stop", "parent");
    static final List<String> KINDS = List.of("choice", "uniform", "loguniform", "int", "qloguniform");
    /** Paths the sweep sets itself on every trial, or that are not spec values. */
    static final Set<String> RESERVED = Set.of("name", "experiment", "sweep", "ensemble");
    private static final Pattern PATH = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_\\-]*(\\[\\d+])*(\\.[A-Za-z_][A-Za-z0-9_\\-]*(\\[\\d+])*)*");
    /** Grids larger than this are refused: they are almost certainly a mistake. */
    static final long MAX_GRID = 100_000;

    private final List<SpecError> errors = new ArrayList<>();

    private SweepSpecParser() {
    }

    /**
     * Parses {@code section} (the value of the spec's {@code sweep} key).
     *
     * @param defaultName the sweep's id when the section has no {@code name} (the spec's name)
     * @throws SpecException listing every problem
     */
    public static SweepSpec parse(JsonNode section, String defaultName) {
        return new SweepSpecParser().read(section, defaultName);
    }

    private SweepSpec read(JsonNode s, String defaultName) {
        if (s == null || !s.isObject()) {
            throw new SpecException("sweep", "must be an object with \"params\", got " + describe(s));
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!FIELDS.contains(key)) {
                error("sweep." + key, "unknown field, expected one of name, method, trials, parallel, seed,"
                        + " objective, params, grid_points, explosion_factor, early_stop, parent");
            }
        }
        String name = text(s, "name", defaultName);
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
            error("sweep.name", "must be letters, digits, '.', '_' or '-', got \"" + name + "\"");
        }
        String parent = s.hasNonNull("parent") ? text(s, "parent", "") : null;
        if (parent != null && !parent.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
            error("sweep.parent", "must be a sweep id (letters, digits, '.', '_' or '-'), got \"" + parent + "\"");
        }
        SweepSpec.Method method = SweepSpec.Method.RANDOM;
        String m = text(s, "method", "random");
        if (m != null) {
            switch (m) {
                case "random" -> method = SweepSpec.Method.RANDOM;
                case "grid" -> method = SweepSpec.Method.GRID;
                default -> error("sweep.method", "must be grid or random, got \"" + m + "\"");
            }
        }
        Long trials = integer(s, "trials", null, 1);
        int parallel = (int) (long) integer(s, "parallel", 1L, 1);
        long seed = integer(s, "seed", 1L, Long.MIN_VALUE);
        Integer gridPoints = s.has("grid_points") ? (int) (long) integer(s, "grid_points", 2L, 1) : null;
        double explosion = number(s, "explosion_factor", SweepSpec.DEFAULT_EXPLOSION_FACTOR);
        if (explosion != 0 && !(explosion > 1)) {
            error("sweep.explosion_factor", "must be > 1, or 0 to turn the rule off, got " + explosion);
        }
        Objective objective = objective(s.get("objective"));
        Map<String, Domain> params = params(s.get("params"));
        Asha asha = earlyStop(s.get("early_stop"));

        int count = 1;
        if (method == SweepSpec.Method.GRID && !params.isEmpty()) {
            long size = 1;
            for (Map.Entry<String, Domain> e : params.entrySet()) {
                Domain d = e.getValue();
                Integer points = d.gridPoints() != null ? d.gridPoints() : gridPoints;
                if (d.continuous() && points == null) {
                    error("sweep.params." + e.getKey() + ".grid_points", "is required for a " + d.kind()
                            + " domain in a grid search (or set sweep.grid_points for every continuous domain)");
                    continue;
                }
                size = Math.min(MAX_GRID + 1, size * d.grid(points == null ? 1 : points).size());
            }
            if (size > MAX_GRID) {
                error("sweep.params", "the grid has more than " + MAX_GRID + " combinations");
            } else if (trials != null && trials != size) {
                error("sweep.trials", "a grid runs every combination; these params have " + size
                        + ", got " + trials + " (drop trials or set it to " + size + ")");
            }
            count = (int) size;
        } else if (method == SweepSpec.Method.RANDOM) {
            if (trials == null && !s.has("trials")) {
                error("sweep.trials", "is required for a random search, e.g. 20");
            }
            count = trials == null ? 1 : (int) Math.min(Integer.MAX_VALUE, trials);
        }
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        return new SweepSpec(name, method, count, parallel, seed, objective, params, gridPoints, explosion, asha, parent);
    }

    private Objective objective(JsonNode o) {
        if (o == null || o.isNull()) {
            return new Objective("val_accuracy", Objective.Direction.MAX);
        }
        if (!o.isObject()) {
            error("sweep.objective", "must be an object like {\"metric\": \"val_accuracy\", \"direction\": \"max\"}, got "
                    + describe(o));
            return new Objective("val_accuracy", Objective.Direction.MAX);
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("metric") && !key.equals("direction")) {
                error("sweep.objective." + key, "unknown field, expected one of metric, direction");
            }
        }
        String metric = text(o, "metric", "val_accuracy", "sweep.objective");
        String inferred = metric == null ? "max" : metric.contains("loss") || metric.contains("error") ? "min"
                : metric.contains("accuracy") ? "max" : null;
        String direction = null;
        if (inferred == null && !o.has("direction")) {
            error("sweep.objective.direction", "is required for metric " + metric + ": max or min");
        } else {
            direction = text(o, "direction", inferred == null ? "max" : inferred, "sweep.objective");
        }
        Objective.Direction d = Objective.Direction.MAX;
        if (direction != null) {
            switch (direction) {
                case "max" -> d = Objective.Direction.MAX;
                case "min" -> d = Objective.Direction.MIN;
                default -> error("sweep.objective.direction", "must be max or min, got \"" + direction + "\"");
            }
        }
        return new Objective(metric == null ? "val_accuracy" : metric, d);
    }

    private Map<String, Domain> params(JsonNode p) {
        Map<String, Domain> out = new LinkedHashMap<>();
        if (p == null || p.isNull()) {
            error("sweep.params", "is required: spec paths with their domains, e.g."
                    + " {\"optimizer.lr\": {\"loguniform\": [1e-6, 1e-3]}}");
            return out;
        }
        if (!p.isObject() || p.isEmpty()) {
            error("sweep.params", "must be an object with at least one spec path, got " + describe(p));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = e.getKey();
            String at = "sweep.params." + path;
            if (!PATH.matcher(path).matches()) {
                error(at, "is not a spec path: names joined by dots with optional [index], e.g. model.layers[0].filters");
                continue;
            }
            String root = path.split("[.\\[]", 2)[0];
            if (RESERVED.contains(root)) {
                error(at, "cannot be swept: the sweep sets name and experiment itself");
                continue;
            }
            Domain d = domain(e.getValue(), at);
            if (d != null) {
                out.put(path, d);
            }
        }
        return out;
    }

    private Domain domain(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            error(at, "must be an object naming one domain (" + String.join(", ", KINDS) + "), e.g."
                    + " {\"loguniform\": [1e-6, 1e-3]}, got " + describe(node));
            return null;
        }
        String kind = null;
        Integer points = null;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.equals("grid_points")) {
                JsonNode g = node.get(key);
                if (!g.isIntegralNumber() || g.asLong() < 1 || g.asLong() > 10_000) {
                    error(at + ".grid_points", "must be a whole number from 1 to 10000, got " + describe(g));
                } else {
                    points = g.asInt();
                }
            } else if (KINDS.contains(key)) {
                if (kind != null) {
                    error(at, "names two domains (" + kind + " and " + key + "); give exactly one");
                    return null;
                }
                kind = key;
            } else {
                error(at + "." + key, "unknown field, expected one of " + String.join(", ", KINDS) + ", grid_points");
            }
        }
        if (kind == null) {
            error(at, "must name one domain: " + String.join(", ", KINDS));
            return null;
        }
        JsonNode v = node.get(kind);
        String vat = at + "." + kind;
        if (!v.isArray()) {
            error(vat, "must be an array, got " + describe(v));
            return null;
        }
        try {
            return switch (kind) {
                case "choice" -> {
                    List<JsonNode> values = new ArrayList<>();
                    v.forEach(values::add);
                    if (values.isEmpty()) {
                        error(vat, "must list at least one value");
                        yield null;
                    }
                    yield new Domain.Choice(values, points);
                }
                case "uniform" -> {
                    double[] b = numbers(v, vat, 2, "[low, high] with low < high");
                    yield b == null ? null : new Domain.Uniform(b[0], b[1], points);
                }
                case "loguniform" -> {
                    double[] b = numbers(v, vat, 2, "[low, high] with 0 < low < high");
                    yield b == null ? null : new Domain.LogUniform(b[0], b[1], points);
                }
                case "qloguniform" -> {
                    double[] b = numbers(v, vat, 3, "[low, high, q] with 0 < low < high and q > 0");
                    yield b == null ? null : new Domain.QLogUniform(b[0], b[1], b[2], points);
                }
                default -> {
                    double[] b = numbers(v, vat, 2, "[low, high], whole numbers with low <= high");
                    if (b == null) {
                        yield null;
                    }
                    if (b[0] != Math.rint(b[0]) || b[1] != Math.rint(b[1])
                            || Math.abs(b[0]) > Integer.MAX_VALUE || Math.abs(b[1]) > Integer.MAX_VALUE) {
                        error(vat, "must be [low, high], whole numbers with low <= high, got " + v);
                        yield null;
                    }
                    yield new Domain.IntRange((long) b[0], (long) b[1], points);
                }
            };
        } catch (IllegalArgumentException e) {
            error(vat, e.getMessage() + ", got " + v);
            return null;
        }
    }

    private double[] numbers(JsonNode v, String at, int count, String shape) {
        if (v.size() != count) {
            error(at, "must be " + shape + ", got " + v);
            return null;
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            if (!v.get(i).isNumber()) {
                error(at + "[" + i + "]", "must be a number, got " + describe(v.get(i)));
                return null;
            }
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    private Asha earlyStop(JsonNode e) {
        if (e == null || e.isNull()) {
            return null;
        }
        if (!e.isObject()) {
            error("sweep.early_stop", "must be an object like {\"type\": \"asha\", \"min_epochs\": 1, \"eta\": 3}, got "
                    + describe(e));
            return null;
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!Set.of("type", "min_epochs", "eta").contains(key)) {
                error("sweep.early_stop." + key, "unknown field, expected one of type, min_epochs, eta");
            }
        }
        String type = text(e, "type", null, "sweep.early_stop");
        if (type != null && !type.equals("asha")) {
            error("sweep.early_stop.type", "must be asha, got \"" + type + "\"");
        }
        long min = integer(e, "min_epochs", 1L, 1, "sweep.early_stop");
        long eta = integer(e, "eta", 3L, 2, "sweep.early_stop");
        return type == null ? null : new Asha((int) Math.max(1, Math.min(min, 1_000_000)), (int) Math.max(2, Math.min(eta, 1000)));
    }

    private String text(JsonNode obj, String key, String fallback) {
        return text(obj, key, fallback, "sweep");
    }

    private String text(JsonNode obj, String key, String fallback, String path) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                error(path + "." + key, "is required");
            }
            return fallback;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            error(path + "." + key, "must be a non-empty string, got " + describe(v));
            return fallback;
        }
        return v.asText();
    }

    private Long integer(JsonNode obj, String key, Long fallback, long min) {
        return integer(obj, key, fallback, min, "sweep");
    }

    private Long integer(JsonNode obj, String key, Long fallback, long min, String path) {
        JsonNode v = obj.get(key);
        String at = path + "." + key;
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber()) {
            error(at, "must be a whole number, got " + describe(v));
            return fallback;
        }
        if (v.asLong() < min) {
            error(at, "must be >= " + min + ", got " + v.asLong());
            return fallback;
        }
        return v.asLong();
    }

    private double number(JsonNode obj, String key, double fallback) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            error("sweep." + key, "must be a number, got " + describe(v));
            return fallback;
        }
        return v.asDouble();
    }

    private void error(String path, String message) {
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
