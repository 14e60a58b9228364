package dev.cnnworkbench.core.sanity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.engine.TinySpecs;
import dev.cnnworkbench.core.experiment.Experiment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each check passes on a healthy (tiny) spec and fails on a spec broken the way it is meant to catch. */
class SanityChecksTest {

    private static CheckResult run(String check, Experiment experiment) {
        List<String> steps = new ArrayList<>();
        CheckProgress progress = new CheckProgress() {
            @Override
            public void step(int done, int total, String note) {
                steps.add(done + "/" + total);
            }
        };
        CheckContext context = SanityChecks.context(experiment, TinySpecs.split(experiment), progress);
        CheckResult result = SanityChecks.run(context, List.of(SanityChecks.named(check).orElseThrow())).get(0);
        assertThat(result.name()).isEqualTo(check);
        return result;
    }

    @Test
    void aHealthySpecPassesEveryCheck() {
        Experiment healthy = TinySpecs.tiny();
        CheckContext context = SanityChecks.context(healthy, TinySpecs.split(healthy), CheckProgress.NONE);
        List<CheckResult> results = SanityChecks.run(context, SanityChecks.ALL);
        assertThat(results).extracting(CheckResult::name).containsExactly("initial_loss",
                "regularization_raises_loss", "overfit_small_subset", "gradient_check", "learning_rate_probe");
        assertThat(results).allSatisfy(r -> assertThat(r.verdict()).as(r.name() + ": " + r.detail())
                .isEqualTo(CheckResult.Verdict.PASS));
        assertThat(results.get(0).measured()).isCloseTo(Math.log(10), org.assertj.core.data.Offset.offset(0.58));
        assertThat(results.get(3).measured()).isLessThan(1e-3);
    }

    @Test
    void initialLossFailsWithHugeInitialWeights() {
        CheckResult r = run("initial_loss", BrokenLayers.replace(TinySpecs.tiny(), 2, BrokenLayers::hugeWeights));
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(r.measured()).isGreaterThan(Math.log(10) * 1.25);
        assertThat(r.detail()).contains("confidently wrong");
    }

    @Test
    void initialLossDoesNotApplyToAHingeLoss() {
        CheckResult r = run("initial_loss", TinySpecs.tiny("model.layers[3].loss=svm"));
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.SKIP);
        assertThat(r.passed()).isTrue();
    }

    @Test
    void regularizationCheckFailsWhenThePenaltyNeverReachesTheLoss() {
        Experiment broken = BrokenLayers.replace(TinySpecs.tiny("model.layers=[{\"type\": \"output\"}]"), 0,
                BrokenLayers::unregularisedOutput);
        CheckResult r = run("regularization_raises_loss", broken);
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(r.measured()).isEqualTo(0.0);
        assertThat(r.detail()).contains("does not reach the loss");
    }

    @Test
    void overfitFailsWithALearningRateFarTooLow() {
        CheckResult r = run("overfit_small_subset", TinySpecs.tiny("optimizer.lr=1e-7"));
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(r.measured()).isLessThan(1.0);
        assertThat(r.detail()).contains("after 200 epochs");
    }

    @Test
    void gradientCheckFailsOnAWrongBackwardPass() {
        CheckResult r = run("gradient_check", BrokenLayers.replace(TinySpecs.tiny(), 2, BrokenLayers::wrongGradient));
        assertThat(r.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(r.measured()).isGreaterThan(0.1);
        assertThat(r.detail()).containsPattern("at (conv1|dense1)_[Wb]");
    }

    @Test
    void learningRateProbeFailsForRatesOutsideTheRangeWhereTheLossFalls() {
        CheckResult low = run("learning_rate_probe", TinySpecs.tiny("optimizer.lr=1e-8"));
        assertThat(low.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(low.detail()).contains("lr 1e-06: loss").contains("barely moves").contains("outside the range");
        CheckResult high = run("learning_rate_probe", TinySpecs.tiny("optimizer.lr=5"));
        assertThat(high.verdict()).isEqualTo(CheckResult.Verdict.FAIL);
        assertThat(high.detail()).contains("lr 1e+00: loss").contains("explodes");
    }
}
