package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.engine.StopRule;
import java.util.List;
import java.util.Map;

/** Combinations of stop rules. */
public final class StopRules {

    private StopRules() {
    }

    /** A rule that asks each of {@code rules} in order and stops with the first reason given. */
    public static StopRule firstOf(List<StopRule> rules) {
        List<StopRule> all = List.copyOf(rules);
        if (all.isEmpty()) {
            return StopRule.NEVER;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new StopRule() {
            @Override
            public String afterIteration(int epoch, long iteration, double loss) {
                for (StopRule r : all) {
                    String reason = r.afterIteration(epoch, iteration, loss);
                    if (reason != null) {
                        return reason;
                    }
                }
                return null;
            }

            @Override
            public String afterEpoch(int epoch, Map<String, Double> metrics) {
                for (StopRule r : all) {
                    String reason = r.afterEpoch(epoch, metrics);
                    if (reason != null) {
                        return reason;
                    }
                }
                return null;
            }
        };
    }
}
