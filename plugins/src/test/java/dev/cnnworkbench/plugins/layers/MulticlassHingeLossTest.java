package dev.cnnworkbench.plugins.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The notes' multiclass SVM loss {@code L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + 1)}. */
class MulticlassHingeLossTest {

    private static final MulticlassHingeLoss LOSS = new MulticlassHingeLoss();

    // Three examples (true classes 0, 1, 2) with the scores of the classic cat / car / frog example.
    private static final INDArray SCORES = Nd4j.createFromArray(new double[][] {
            {3.2, 1.3, 2.2}, {5.1, 4.9, 2.5}, {-1.7, 2.0, -3.1}}).transpose().dup();
    private static final INDArray LABELS = Nd4j.eye(3).castTo(SCORES.dataType());

    @Test
    void perExampleLossesMatchTheFormula() {
        INDArray perExample = LOSS.computeScoreArray(LABELS, SCORES, new ActivationIdentity(), null);
        // cat: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9; car: 0; frog: 6.3 + 6.6 = 12.9
        assertThat(perExample.toDoubleVector()).containsExactly(new double[] {2.9, 0.0, 12.9}, within(1e-9));
        assertThat(LOSS.computeScore(LABELS, SCORES, new ActivationIdentity(), null, true))
                .isCloseTo((2.9 + 12.9) / 3, within(1e-9));
    }

    @Test
    void gradientCountsViolatedMargins() {
        INDArray grad = LOSS.computeGradient(LABELS, SCORES, new ActivationIdentity(), null);
        // cat: only the car margin is violated; frog: both others are.
        assertThat(grad.getRow(0).toDoubleVector()).containsExactly(new double[] {-1, 1, 0}, within(1e-12));
        assertThat(grad.getRow(1).toDoubleVector()).containsExactly(new double[] {0, 0, 0}, within(1e-12));
        assertThat(grad.getRow(2).toDoubleVector()).containsExactly(new double[] {1, 1, -2}, within(1e-12));
    }

    @Test
    void mixedLabelsWeighTheLossOfEachClass() {
        INDArray scores = SCORES.getRow(0, true);
        INDArray asCat = Nd4j.createFromArray(new double[][] {{1, 0, 0}});
        INDArray asCar = Nd4j.createFromArray(new double[][] {{0, 1, 0}});
        INDArray mixed = asCat.mul(0.3).addi(asCar.mul(0.7));
        double cat = LOSS.computeScore(asCat, scores, new ActivationIdentity(), null, false);
        double car = LOSS.computeScore(asCar, scores, new ActivationIdentity(), null, false);
        assertThat(LOSS.computeScore(mixed, scores, new ActivationIdentity(), null, false))
                .isCloseTo(0.3 * cat + 0.7 * car, within(1e-9));
    }

    @Test
    void maskedExamplesCountForNothing() {
        INDArray mask = Nd4j.createFromArray(new double[][] {{1}, {1}, {0}});
        assertThat(LOSS.computeScoreArray(LABELS, SCORES, new ActivationIdentity(), mask).toDoubleVector())
                .containsExactly(new double[] {2.9, 0.0, 0.0}, within(1e-9));
        assertThat(LOSS.computeGradient(LABELS, SCORES, new ActivationIdentity(), mask).getRow(2).toDoubleVector())
                .containsExactly(new double[] {0, 0, 0}, within(1e-12));
    }
}
