package dev.cnnworkbench.core.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnsemblesTest {

    private static final float[][] MEMBER = {
            {0.7f, 0.2f, 0.1f},
            {0.1f, 0.3f, 0.6f},
            {0.4f, 0.5f, 0.1f},
            {0.3f, 0.3f, 0.4f}};
    private static final int[] LABELS = {0, 2, 0, 2};

    @Test
    void anEnsembleOfIdenticalMembersIsThatMember() {
        float[][] avg = Ensembles.average(List.of(MEMBER, MEMBER, MEMBER));
        for (int i = 0; i < MEMBER.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(avg[i][c]).isCloseTo(MEMBER[i][c], within(1e-7f));
            }
        }
        assertThat(Ensembles.predictions(avg)).containsExactly(Ensembles.predictions(MEMBER));
        EnsembleReport report = EnsembleReport.of(List.of("a", "b", "c"), List.of(MEMBER, MEMBER, MEMBER), LABELS);
        assertThat(report.accuracy()).isEqualTo(Ensembles.accuracy(MEMBER, LABELS)).isEqualTo(0.75);
        assertThat(report.loss()).isCloseTo(Ensembles.logLoss(MEMBER, LABELS), within(1e-6));
        assertThat(report.accuracyByMembers()).containsExactly(0.75, 0.75, 0.75);
        assertThat(report.gain()).isZero();
        assertThat(report.vsBest().pValue()).isEqualTo(1.0);
        assertThat(report.vsBest().onlyFirst() + report.vsBest().onlySecond()).isZero();
    }

    @Test
    void averagesProbabilitiesNotLogits() {
        // One confident member (logits [3, 0]) against two mild ones ([0, 1]): the mean of the logits favours
        // class 0, the mean of the probabilities (0.497 vs 0.503) class 1. The ensemble must say 1.
        float[][] confident = Ensembles.softmax(new float[][] {{3, 0}});
        float[][] mild = Ensembles.softmax(new float[][] {{0, 1}});
        float[][] ensemble = Ensembles.average(List.of(confident, mild, mild));
        assertThat(Ensembles.predictions(ensemble)).containsExactly(1);
        assertThat(ensemble[0][0]).isCloseTo((float) ((0.952574 + 2 * 0.268941) / 3), within(1e-5f));
        float[][] meanOfLogits = Ensembles.softmax(new float[][] {{1f, 2f / 3}});
        assertThat(Ensembles.predictions(meanOfLogits)).containsExactly(0);
    }

    @Test
    void softmaxRowsAreDistributionsEvenForHugeLogits() {
        float[][] p = Ensembles.softmax(new float[][] {{1000, 1000, -1000}, {0, Float.MIN_VALUE, 1}});
        assertThat(p[0][0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(p[0][2]).isZero();
        assertThat(p[1][0] + p[1][1] + p[1][2]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void accuracyGrowsWithMembersWhenTheyErrDifferently() {
        int[] labels = {0, 1, 2};
        float[][] a = {{0.6f, 0.4f, 0f}, {0.6f, 0.4f, 0f}, {0f, 0f, 1f}};
        float[][] b = {{0f, 0f, 1f}, {0f, 1f, 0f}, {0.6f, 0f, 0.4f}};
        float[][] c = {{1f, 0f, 0f}, {0f, 0.6f, 0.4f}, {0f, 0.4f, 0.6f}};
        assertThat(Ensembles.accuracy(a, labels)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(Ensembles.accuracyByMembers(List.of(a, b, c), labels)).containsExactly(2 / 3.0, 2 / 3.0, 1.0);
        assertThat(Ensembles.logLoss(new float[][] {{1f, 0f}}, new int[] {1})).isCloseTo(-Math.log(1e-12), within(1e-9));
    }

    @Test
    void refusesMembersOfDifferentShapes() {
        assertThatThrownBy(() -> Ensembles.average(List.of(MEMBER, new float[3][3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("member 1 scores 3 images");
        assertThatThrownBy(() -> Ensembles.average(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ensembles.accuracy(MEMBER, new int[] {0}))
                .hasMessage("4 predictions for 1 labels");
    }

    @Test
    void reportsMetricsForARun() {
        float[][] other = {{0.1f, 0.1f, 0.8f}, {0.1f, 0.1f, 0.8f}, {0.8f, 0.1f, 0.1f}, {0.8f, 0.1f, 0.1f}};
        EnsembleReport r = EnsembleReport.of(List.of("first", "second"), List.of(MEMBER, other), LABELS);
        assertThat(r.memberAccuracy()).containsExactly(0.75, 0.5);
        assertThat(r.bestMember()).isZero();
        assertThat(r.images()).isEqualTo(4);
        assertThat(r.summary()).containsOnlyKeys("ensemble_test_accuracy", "ensemble_test_loss", "ensemble_members",
                "ensemble_best_member_accuracy", "ensemble_gain", "ensemble_mcnemar_p");
        var points = r.toMetrics(99, 3, 1000);
        assertThat(points).as("per-member results are the ensemble's record, not a training series")
                .extracting(p -> p.step()).containsOnly(99L);
        var record = r.record("e1", "run1", "pair", "independent", null, null, List.of(
                new dev.cnnworkbench.core.bus.EnsembleRecorded.Member("a", null, null, "", 0, 0),
                new dev.cnnworkbench.core.bus.EnsembleRecorded.Member("b", null, null, "", 0, 0)), 1000);
        assertThat(record.members()).extracting(m -> m.label() + "=" + m.accuracy()).containsExactly("first=0.75", "second=0.5");
        assertThat(record.byMembers()).extracting(p -> p.members()).containsExactly(1, 2);
        assertThat(record.bestMemberAccuracy()).isEqualTo(0.75);
        assertThat(record.combination()).isEqualTo("mean-softmax");
        assertThat(record.pValue()).isEqualTo(r.vsBest().pValue());
        assertThat(points).filteredOn(p -> p.name().equals("ensemble_test_accuracy")).singleElement()
                .satisfies(p -> {
                    assertThat(p.step()).isEqualTo(99);
                    assertThat(p.value()).isEqualTo(r.accuracy());
                });
    }
}
