package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coarse to fine: the next stage of a sweep, its ranges narrowed around the best trials of this one (in log space
 * for log-uniform parameters; see {@link Domain#refine}), as the notes narrow {@code lr = 10**uniform(-3, -6)} to
 * {@code 10**uniform(-3, -4)} by hand. Everything else (method, trial count, objective, stop rules, the base
 * spec) carries over. Stateless.
 */
public final class SweepRefiner {

    private SweepRefiner() {
    }

    /**
     * The refined sweep.
     *
     * @param results the trials' results (any order); the best usable ones by {@link TrialRanking} count (finished or
     *                stopped with a finite objective value)
     * @param top     how many of the best trials the new ranges must cover, {@code >= 1}
     * @param newName the refined sweep's id (its trials must not be mistaken for this sweep's)
     * @throws IllegalArgumentException when no trial is usable
     */
    public static SweepFile refine(SweepFile file, List<TrialResult> results, int top, String newName) {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be >= 1, got " + top);
        }
        List<TrialResult> best = best(file, results, top);
        if (best.isEmpty()) {
            throw new IllegalArgumentException("sweep " + file.id() + " has no finished or stopped trial with a value of "
                    + file.sweep().objective().metric() + " to refine around");
        }
        Map<String, Domain> params = new LinkedHashMap<>();
        file.sweep().params().forEach((path, domain) -> {
            List<JsonNode> values = best.stream().map(r -> r.trial().values().get(path)).toList();
            params.put(path, domain.refine(values));
        });
        return file.withSweep(file.sweep().withParams(newName, params));
    }

    /** The trials a refinement covers: the best {@code top} usable ones, best first. */
    public static List<TrialResult> best(SweepFile file, List<TrialResult> results, int top) {
        return TrialResult.ranking(file.sweep().objective()).top(results, top);
    }

    /** The default id of the next stage: {@code lr-sweep} becomes {@code lr-sweep-fine}, then {@code lr-sweep-fine2}, ... */
    public static String nextName(String id) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*)-fine(\\d*)").matcher(id);
        if (m.matches()) {
            int n = m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2));
            return m.group(1) + "-fine" + (n + 1);
        }
        return id + "-fine";
    }
}
