package dev.cnnworkbench.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.spec.SpecJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepRefinerTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static SweepFile coarse() {
        return SweepFile.of(SpecJson.readTree("""
                {"name": "coarse", "optimizer": {"type": "adam"},
                 "sweep": {"trials": 30, "objective": {"metric": "val_accuracy"},
                           "params": {"optimizer.lr": {"loguniform": [1e-6, 1e-3]},
                                      "regularization.l2": {"loguniform": [1e-5, 1e5]},
                                      "train.batch": {"choice": [32, 64, 128]},
                                      "regularization.l1": {"uniform": [0, 1]},
                                      "train.epochs": {"int": [1, 10]}}}}
                """, "t"), List.of(), "coarse");
    }

    private static TrialResult result(int n, double lr, double l2, int batch, double val, RunStatus status) {
        Map<String, JsonNode> v = new LinkedHashMap<>();
        v.put("optimizer.lr", F.numberNode(lr));
        v.put("regularization.l2", F.numberNode(l2));
        v.put("train.batch", F.numberNode(batch));
        v.put("regularization.l1", F.numberNode(0.5));
        v.put("train.epochs", F.numberNode(5));
        return new TrialResult(new Trial(n, v), "run" + n, status, val, null);
    }

    /** The defect: with 2 finished trials and better stopped ones, refine --top 3 used "the best 2 of 2". */
    @Test
    void ranksStoppedTrialsByTheirLastValueSoTheBestThreeIncludeThem() {
        List<TrialResult> results = List.of(
                result(1, 1e-4, 1, 64, 0.068, RunStatus.FINISHED),
                result(2, 2e-4, 1, 64, 0.061, RunStatus.FINISHED),
                result(3, 5e-4, 1, 64, 0.114, RunStatus.STOPPED),
                result(4, 6e-4, 1, 64, 0.301, RunStatus.STOPPED),
                result(5, 1e-6, 1, 64, Double.NaN, RunStatus.STOPPED),
                result(6, 1e-3, 1, 64, 0.9, RunStatus.FAILED));
        assertThat(SweepRefiner.best(coarse(), results, 3)).extracting(r -> r.trial().number()).containsExactly(4, 3, 1);
        assertThat(TrialResult.ranked(results, coarse().sweep().objective())).extracting(r -> r.trial().number())
                .as("STOPPED 0.114 above FINISHED 0.068; NaN and FAILED last").containsExactly(4, 3, 1, 2, 5, 6);
        Domain.LogUniform lr = (Domain.LogUniform) SweepRefiner.refine(coarse(), results, 3, "fine").sweep().params()
                .get("optimizer.lr");
        assertThat(lr.high()).as("the range moved up to the stopped trials' 6e-4").isGreaterThan(6e-4);
        assertThat(TrialResult.ranking(coarse().sweep().objective()).shortfall(results, 5))
                .startsWith("found 4 usable trial(s) of the 5 asked for");
        assertThat(SweepRefiner.refine(coarse(), results, 3, "fine").sweep().parent()).isEqualTo("coarse");
    }

    @Test
    void narrowsLogRangesAroundTheBestTrialsInLogSpace() {
        List<TrialResult> results = new ArrayList<>(List.of(
                result(1, 5.3e-4, 0.41, 64, 0.527, RunStatus.FINISHED),
                result(2, 2.3e-4, 1e-3, 32, 0.492, RunStatus.FINISHED),
                result(3, 8.7e-4, 1.3e-2, 64, 0.512, RunStatus.FINISHED),
                result(4, 2.1e-6, 80, 128, 0.208, RunStatus.FINISHED),
                result(5, 5.4e-6, 1.6e4, 128, 0.079, RunStatus.FINISHED),
                // stopped early, ranked by its last value: not among the best three
                result(6, 1e-6, 1e5, 128, 0.05, RunStatus.STOPPED),
                result(7, 1e-6, 1e5, 128, Double.NaN, RunStatus.STOPPED),
                result(8, 1e-6, 1e5, 128, 0.99, RunStatus.FAILED)));
        SweepFile fine = SweepRefiner.refine(coarse(), results, 3, "coarse-fine");

        assertThat(fine.id()).isEqualTo("coarse-fine");
        assertThat(fine.base().get("name").asText()).isEqualTo("coarse-fine");
        Domain.LogUniform lr = (Domain.LogUniform) fine.sweep().params().get("optimizer.lr");
        // best three lr span [2.3e-4, 8.7e-4], padded by a tenth of 3 decades each side, capped at the old 1e-3
        assertThat(lr.low()).isCloseTo(2.3e-4 / Math.pow(10, 0.3), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(lr.high()).isEqualTo(1e-3);
        Domain.LogUniform l2 = (Domain.LogUniform) fine.sweep().params().get("regularization.l2");
        assertThat(Math.log10(l2.high() / l2.low())).isLessThan(10).isCloseTo(Math.log10(0.41 / 1e-3) + 2,
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(l2.low()).isLessThanOrEqualTo(1e-3);
        assertThat(l2.high()).isGreaterThanOrEqualTo(0.41);
        assertThat(((Domain.Choice) fine.sweep().params().get("train.batch")).values())
                .extracting(JsonNode::asInt).containsExactly(32, 64);
        Domain.Uniform l1 = (Domain.Uniform) fine.sweep().params().get("regularization.l1");
        assertThat(l1.low()).isEqualTo(0.4);
        assertThat(l1.high()).isEqualTo(0.6);
        Domain.IntRange epochs = (Domain.IntRange) fine.sweep().params().get("train.epochs");
        assertThat(epochs.low()).isEqualTo(4);
        assertThat(epochs.high()).isEqualTo(6);
        assertThat(fine.sweep().trials()).isEqualTo(30);
        // the new ranges still hold every one of the best trials
        for (TrialResult r : results.subList(0, 3)) {
            double v = r.trial().values().get("optimizer.lr").asDouble();
            assertThat(v).isBetween(lr.low(), lr.high());
        }
    }

    @Test
    void refusesToRefineWithoutAUsableTrial() {
        assertThatThrownBy(() -> SweepRefiner.refine(coarse(),
                List.of(result(1, 1e-4, 1, 32, Double.NaN, RunStatus.FINISHED)), 3, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no finished or stopped trial with a value");
    }

    @Test
    void namesTheNextStage() {
        assertThat(SweepRefiner.nextName("lr")).isEqualTo("lr-fine");
        assertThat(SweepRefiner.nextName("lr-fine")).isEqualTo("lr-fine2");
        assertThat(SweepRefiner.nextName("lr-fine2")).isEqualTo("lr-fine3");
    }

    @Test
    void rankingPutsUsableTrialsFirstByObjectiveThenNaNAndFailed() {
        Objective max = new Objective("val_accuracy", Objective.Direction.MAX);
        List<TrialResult> ranked = TrialResult.ranked(List.of(
                result(1, 1e-4, 1, 32, 0.5, RunStatus.STOPPED),
                result(2, 1e-4, 1, 32, 0.6, RunStatus.FINISHED),
                result(3, 1e-4, 1, 32, Double.NaN, RunStatus.FINISHED),
                result(4, 1e-4, 1, 32, 0.7, RunStatus.FAILED),
                result(5, 1e-4, 1, 32, 0.8, RunStatus.FINISHED)), max);
        assertThat(ranked).extracting(r -> r.trial().number()).containsExactly(5, 2, 1, 3, 4);
        List<TrialResult> byLoss = TrialResult.ranked(List.of(
                result(1, 1e-4, 1, 32, 0.5, RunStatus.FINISHED),
                result(2, 1e-4, 1, 32, 0.2, RunStatus.FINISHED)), new Objective("val_loss", Objective.Direction.MIN));
        assertThat(byLoss).extracting(r -> r.trial().number()).containsExactly(2, 1);
    }
}
