package dev.cnnworkbench.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** The one-read summary against ND4J's own reductions, over shapes, orders and data types. */
class ActivationStatisticsTest {

    @Property(tries = 40)
    void matchesNd4jReductions(@ForAll @IntRange(min = 2, max = 4) int rank,
                               @ForAll @IntRange(min = 1, max = 6) int examples,
                               @ForAll @IntRange(min = 1, max = 5) int channels,
                               @ForAll @IntRange(min = 1, max = 70) int side,
                               @ForAll long seed) {
        long[] shape = switch (rank) {
            case 2 -> new long[] {examples, channels * side};
            case 3 -> new long[] {examples, channels, side};
            default -> new long[] {examples, channels, side, Math.max(1, side / 3)};
        };
        Random random = new Random(seed);
        float offset = 20 * (float) random.nextGaussian(); // a large mean must not cost the deviation its precision
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        float[] values = new float[(int) a.length()];
        for (int i = 0; i < values.length; i++) {
            // relu-like: about a third exactly 0, and some whole units never above 0
            double g = random.nextGaussian();
            values[i] = g < -0.4 ? 0 : offset + (float) g;
        }
        a.assign(Nd4j.create(values, shape, 'c'));

        check(a, -0.5f, 0.9f);
        check(a.dup('f'), offset - 1, offset + 1); // column-major: read through a copy
        check(a.castTo(DataType.DOUBLE), offset, offset + 0.5f);
    }

    private static void check(INDArray a, float below, float above) {
        ActivationStatistics.Summary s = ActivationStatistics.of(a, below, above);
        double n = a.length();
        double mean = a.meanNumber().doubleValue();
        double std = n > 1 ? a.stdNumber().doubleValue() : 0;
        assertThat(s.mean()).as("mean").isCloseTo(mean, within(1e-4 * (1 + Math.abs(mean))));
        assertThat(s.std()).as("std").isCloseTo(std, within(1e-4 * (1 + std)));
        // exactly 0 (ND4J's Conditions.equals also counts values within its epsilon of 0)
        assertThat(s.zeroFraction()).isEqualTo(
                java.util.Arrays.stream(a.reshape(a.length()).toDoubleVector()).filter(v -> v == 0).count() / n);
        assertThat(s.belowFraction()).isEqualTo(a.scan(Conditions.lessThan(below)).doubleValue() / n);
        assertThat(s.aboveFraction()).isEqualTo(a.scan(Conditions.greaterThan(above)).doubleValue() / n);
        INDArray perUnit = switch (a.rank()) {
            case 2 -> a.max(0);
            case 4 -> a.max(0, 2, 3);
            default -> null;
        };
        if (perUnit == null) {
            assertThat(s.deadFraction()).isNaN();
        } else {
            assertThat(s.deadFraction())
                    .isEqualTo(perUnit.scan(Conditions.lessThanOrEqual(0)).doubleValue() / perUnit.length());
        }
    }

    @Test
    void deadUnitsAreThoseAtMostZeroForTheWholeBatch() {
        INDArray dense = Nd4j.create(new float[] {0, 1, 0, 0, 0, 0, 2, 0}, new long[] {2, 4}, 'c');
        assertThat(ActivationStatistics.of(dense, 0, 0).deadFraction()).as("units 0 and 3 are dead, 1 and 2 fire once")
                .isEqualTo(0.5);
        INDArray conv = Nd4j.zeros(DataType.FLOAT, 2, 3, 2, 2);
        conv.putScalar(new long[] {1, 2, 1, 0}, 0.5);
        assertThat(ActivationStatistics.of(conv, 0, 0).deadFraction()).isCloseTo(2.0 / 3, within(1e-9));
    }

    @Test
    void oneValueHasNoDeviationAndNoValuesAreRefused() {
        assertThat(ActivationStatistics.of(Nd4j.scalar(3f).reshape(1, 1), 0, 0).std()).isZero();
        assertThatThrownBy(() -> ActivationStatistics.of(Nd4j.create(DataType.FLOAT, 0, 4), 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no values");
    }
}
