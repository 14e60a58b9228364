package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ScaleGuessTest {

    @Test
    void aLogUniformSampleIsShownOnALogAxis() {
        Random random = new Random(1);
        double[] lr = new double[12];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = Math.pow(10, -6 + 3 * random.nextDouble());
        }
        assertThat(ScaleGuess.logScale(lr)).isTrue();
    }

    @Test
    void aUniformSampleIsNotEvenWhenItSpansADecade() {
        Random random = new Random(2);
        double[] dropout = new double[12];
        for (int i = 0; i < dropout.length; i++) {
            dropout[i] = 0.01 + 0.49 * random.nextDouble();
        }
        assertThat(java.util.Arrays.stream(dropout).min().orElseThrow()).isLessThan(0.05);
        assertThat(ScaleGuess.logScale(dropout)).isFalse();
    }

    @Test
    void gridsFollowTheirSpacing() {
        assertThat(ScaleGuess.logScale(new double[] {1e-6, 1e-5, 1e-4, 1e-3})).isTrue();
        assertThat(ScaleGuess.logScale(new double[] {0.01, 0.255, 0.5})).isFalse();
    }

    @Test
    void zeroNegativeNarrowOrTooFewValuesStayLinear() {
        assertThat(ScaleGuess.logScale(new double[] {0, 1e-4, 1e-2, 1})).isFalse();
        assertThat(ScaleGuess.logScale(new double[] {-1e-3, 1e-2, 1})).isFalse();
        assertThat(ScaleGuess.logScale(new double[] {1e-4, 2e-4, 5e-4})).isFalse();
        assertThat(ScaleGuess.logScale(new double[] {1e-6, 1e-3})).isFalse();
        assertThat(ScaleGuess.logScale(new double[] {})).isFalse();
    }
}
