package dev.cnnworkbench.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.engine.StopRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StopRulesTest {

    @Test
    void explosionRuleStopsOnceTheLossExceedsThreeTimesTheInitialLoss() {
        ExplosionRule rule = new ExplosionRule(3);
        assertThat(rule.afterIteration(0, 0, 2.0)).isNull();
        assertThat(rule.afterIteration(0, 1, 5.0)).isNull();
        assertThat(rule.afterIteration(0, 2, 6.0)).as("exactly 3x is not more than 3x").isNull();
        assertThat(rule.afterIteration(1, 3, 6.05))
                .isEqualTo("loss exploded: 6.050 > 3 x initial loss 2.000 at iteration 3 (epoch 1)");
    }

    @Test
    void explosionRuleStopsAtOnceOnNaNOrInfiniteLoss() {
        assertThat(new ExplosionRule(3).afterIteration(0, 0, Double.NaN)).isEqualTo("loss is NaN at iteration 0 (epoch 0)");
        ExplosionRule rule = new ExplosionRule(3);
        rule.afterIteration(0, 0, 2.3);
        assertThat(rule.afterIteration(0, 1, 1.0)).isNull();
        assertThat(rule.afterIteration(0, 2, Double.POSITIVE_INFINITY)).startsWith("loss is infinite at iteration 2");
    }

    @Test
    void explosionFactorMustExceedOne() {
        assertThatThrownBy(() -> new ExplosionRule(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstOfAsksRulesInOrderAndStopsWithTheFirstReason() {
        StopRule never = StopRule.NEVER;
        StopRule epochTwo = new StopRule() {
            @Override
            public String afterEpoch(int epoch, Map<String, Double> metrics) {
                return epoch == 2 ? "two" : null;
            }
        };
        StopRule both = StopRules.firstOf(List.of(never, epochTwo, new ExplosionRule(3)));
        assertThat(both.afterIteration(0, 0, 1.0)).isNull();
        assertThat(both.afterIteration(0, 1, 4.0)).startsWith("loss exploded");
        assertThat(both.afterEpoch(1, Map.of())).isNull();
        assertThat(both.afterEpoch(2, Map.of())).isEqualTo("two");
        assertThat(StopRules.firstOf(List.of())).isSameAs(StopRule.NEVER);
    }
}
