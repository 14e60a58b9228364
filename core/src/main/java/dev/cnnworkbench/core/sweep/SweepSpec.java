package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code sweep} section of a spec: which values of the base spec to vary, how to pick the trials, how many
 * run at a time, what is optimised and when a trial is stopped early. Built by {@link SweepSpecParser}, which
 * reports every problem with its JSON path. Immutable.
 *
 * @param name            the sweep's id: every trial run has it as its {@code experiment}
 * @param method          grid (every combination) or random (seeded samples)
 * @param trials          trials in the sweep (for a grid: the number of combinations)
 * @param parallel        trials trained at the same time
 * @param seed            seeds the random sampling: the same spec gives the same trials
 * @param objective       the metric ranked on, and its direction
 * @param params          spec path ({@code optimizer.lr}) to the domain of its values, in the spec's order
 * @param gridPoints      points a grid takes on a continuous domain that sets none itself; {@code null}: none
 * @param explosionFactor a trial stops once its loss exceeds this many times its initial loss (or is NaN); 0: off
 * @param earlyStop       successive halving settings; {@code null}: trials run their whole budget
 * @param parent          the sweep this one refines ({@code sweep refine} writes it); {@code null} for a first stage
 */
public record SweepSpec(String name, Method method, int trials, int parallel, long seed, Objective objective,
                        Map<String, Domain> params, Integer gridPoints, double explosionFactor, Asha earlyStop,
                        String parent) {

    /** How trials are chosen. */
    public enum Method {
        GRID, RANDOM;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The notes' rule: break out once the cost exceeds 3 times the original cost. */
    public static final double DEFAULT_EXPLOSION_FACTOR = 3;

    public SweepSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(objective, "objective");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        if (trials < 1 || parallel < 1) {
            throw new IllegalArgumentException("trials and parallel must be >= 1, got " + trials + " and " + parallel);
        }
    }

    /** A first-stage sweep. */
    public SweepSpec(String name, Method method, int trials, int parallel, long seed, Objective objective,
                     Map<String, Domain> params, Integer gridPoints, double explosionFactor, Asha earlyStop) {
        this(name, method, trials, parallel, seed, objective, params, gridPoints, explosionFactor, earlyStop, null);
    }

    /** The same sweep with another id and other domains: a refined stage, whose parent is this sweep. */
    public SweepSpec withParams(String newName, Map<String, Domain> newParams) {
        return new SweepSpec(newName, method, trials, parallel, seed, objective, newParams, gridPoints,
                explosionFactor, earlyStop, name);
    }

    /** The early-stop rule in its spec form, or {@code null} when trials run their whole budget. */
    public ObjectNode earlyStopJson() {
        return earlyStop == null ? null : JsonNodeFactory.instance.objectNode().put("type", "asha")
                .put("min_epochs", earlyStop.minEpochs()).put("eta", earlyStop.eta());
    }

    /** The section as a spec writes it; {@link SweepSpecParser} reads it back to an equal record. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.put("name", name);
        out.put("method", method.label());
        out.put("trials", trials);
        out.put("parallel", parallel);
        out.put("seed", seed);
        out.set("objective", f.objectNode().put("metric", objective.metric())
                .put("direction", objective.direction().label()));
        if (gridPoints != null) {
            out.put("grid_points", gridPoints);
        }
        out.put("explosion_factor", explosionFactor);
        ObjectNode p = out.putObject("params");
        params.forEach((path, domain) -> p.set(path, domain.toJson()));
        if (earlyStop != null) {
            out.set("early_stop", earlyStopJson());
        }
        if (parent != null) {
            out.put("parent", parent);
        }
        return out;
    }
}
