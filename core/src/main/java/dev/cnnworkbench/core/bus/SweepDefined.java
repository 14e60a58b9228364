package dev.cnnworkbench.core.bus;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sweep starts (or starts again, resuming): its definition as it runs now. Published before any of its trials'
 * {@link RunStarted}; the store keeps the latest definition of each sweep id and one row per planned trial.
 *
 * @param sweepId     the sweep's id (the spec's {@code name}); its trials' runs have it as their experiment
 * @param specJson    the whole sweep spec, base spec and {@code sweep} section (domains with their kind, hence scale)
 * @param method      {@code grid} or {@code random}
 * @param metric      the objective metric
 * @param direction   {@code max} or {@code min}
 * @param trials      trials in the sweep
 * @param parallel    trials trained at once
 * @param seed        the sampling seed
 * @param domains     parameter path to its domain's spec form ({@code {"loguniform": [1e-6, 1e-3]}}) as JSON text,
 *                    in the spec's order
 * @param earlyStop   the early-stop rule as JSON text ({@code {"type":"asha","min_epochs":1,"eta":3}}); {@code null}: none
 * @param explosionFactor the explosion rule's factor; 0: off
 * @param parentId    the sweep this one refines ({@code sweep refine}); {@code null} for a first stage
 * @param plan        every trial: its number and its values as a JSON object text
 * @param user        who started it
 * @param startedAt   epoch milliseconds
 */
public record SweepDefined(String sweepId, String specJson, String method, String metric, String direction,
                           int trials, int parallel, long seed, Map<String, String> domains, String earlyStop,
                           double explosionFactor, String parentId, List<PlannedTrial> plan, String user,
                           long startedAt) {

    /** One trial of the plan. */
    public record PlannedTrial(int trial, String valuesJson) {
    }

    public SweepDefined {
        Objects.requireNonNull(sweepId, "sweepId");
        domains = domains == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(domains));
        plan = plan == null ? List.of() : List.copyOf(plan);
    }
}
