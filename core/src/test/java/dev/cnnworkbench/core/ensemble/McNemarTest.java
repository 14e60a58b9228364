package dev.cnnworkbench.core.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class McNemarTest {

    @Test
    void countsTheFourCellsOfThePairedTable() {
        int[] labels = {0, 1, 2, 3, 4, 5};
        int[] first = {0, 1, 2, 0, 0, 5};
        int[] second = {0, 9, 2, 3, 9, 9};
        McNemar t = McNemar.test(labels, first, second);
        assertThat(t.bothRight()).isEqualTo(2);
        assertThat(t.onlyFirst()).isEqualTo(2);
        assertThat(t.onlySecond()).isEqualTo(1);
        assertThat(t.bothWrong()).isEqualTo(1);
    }

    @Test
    void exactPValueIsTheTwoSidedBinomialTail() {
        // ten discordant images, all won by the second: 2 * 0.5^10
        McNemar t = McNemar.of(50, 0, 10, 5);
        assertThat(t.pValue()).isCloseTo(2 * Math.pow(0.5, 10), within(1e-12));
        assertThat(t.chiSquare()).isCloseTo(8.1, within(1e-12));
        assertThat(t.chiSquareP()).isCloseTo(0.004427, within(1e-5));
        assertThat(t.significant(0.05)).isTrue();
        // 3 vs 5: P(X <= 3 | n=8) = (1 + 8 + 28 + 56) / 256, doubled
        assertThat(McNemar.of(0, 3, 5, 0).pValue()).isCloseTo(2 * 93 / 256.0, within(1e-12));
    }

    @Test
    void matchesTheTextbookChiSquareExample() {
        // a = 101, b = 121, c = 59, d = 33: corrected statistic (|121 - 59| - 1)^2 / 180 = 20.672
        McNemar t = McNemar.of(101, 121, 59, 33);
        assertThat(t.chiSquare()).isCloseTo(3721 / 180.0, within(1e-9));
        assertThat(t.chiSquareP()).isLessThan(1e-4);
        assertThat(t.pValue()).isLessThan(1e-4);
    }

    @Test
    void noDiscordantImageMeansNoEvidence() {
        McNemar t = McNemar.of(90, 0, 0, 10);
        assertThat(t.pValue()).isEqualTo(1.0);
        assertThat(t.significant(0.05)).isFalse();
        assertThat(McNemar.of(0, 7, 7, 0).pValue()).isEqualTo(1.0);
    }
}
