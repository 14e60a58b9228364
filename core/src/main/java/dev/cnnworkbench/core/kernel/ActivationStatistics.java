package dev.cnnworkbench.core.kernel;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the per-layer diagnostics report about one activation array, in one read of it: the mean, the standard
 * deviation, how many values are exactly 0, how many lie below and above two bounds (a saturation band), and how many
 * units never fire (their largest value over the batch, and over all positions for a convolution, is at most 0).
 * ND4J's reductions take one sweep each (two for the dead units), and its condition counts go through a per-value
 * callback: for a ResNet-20 they made one sampled iteration cost as much as four training steps.
 *
 * <p>Sums are taken in float over at most one run of {@link ChannelLayout#CHUNK} values and added in double, around
 * the first value. Counts are taken without branches (a third of a layer's values on either side of a bound made
 * the branches mispredict: 5 ns a value); a NaN may count on either side of a bound. Thread-safe; the array must not
 * change while it is read.
 */
public final class ActivationStatistics {

    /**
     * @param mean           the mean of all values
     * @param std            their standard deviation with Bessel's correction (ND4J's {@code stdNumber}); 0 for one value
     * @param zeroFraction   the fraction of values equal to 0
     * @param belowFraction  the fraction of values below the lower bound
     * @param aboveFraction  the fraction of values above the upper bound
     * @param deadFraction   the fraction of units whose largest value is at most 0: channels of an
     *                       {@code [N, C, H, W]} array, columns of an {@code [N, units]} one; NaN for another rank
     */
    public record Summary(double mean, double std, double zeroFraction, double belowFraction, double aboveFraction,
                          double deadFraction) {
    }

    private ActivationStatistics() {
    }

    /**
     * The summary of {@code a} (any data type and order; float arrays in row-major order are read in place, others
     * copied once), counting values {@code < below} and {@code > above}.
     *
     * @throws IllegalArgumentException when {@code a} is empty
     */
    public static Summary of(INDArray a, float below, float above) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("no values to summarise");
        }
        INDArray dense = Dense.of(a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT));
        ChannelLayout layout = switch (a.rank()) {
            case 4 -> new ChannelLayout((int) a.size(0), (int) a.size(1), (int) (a.size(2) * a.size(3)));
            case 2 -> new ChannelLayout((int) a.size(0), (int) a.size(1), 1);
            default -> new ChannelLayout(1, 1, (int) a.length());
        };
        Sweep sweep = new Sweep(Dense.floats(dense), layout, below, above);
        layout.forEachRun(sweep);
        return sweep.summary(a.rank() == 2 || a.rank() == 4);
    }

    /** The running sums of one read. */
    private static final class Sweep implements ChannelLayout.Run {
        private final FloatBuffer values;
        private final float below;
        private final float above;
        private final float pivot;
        private final float[] buf = new float[ChannelLayout.CHUNK];
        private final float[] unitMax;
        private final long count;
        private double sum;
        private double squares;
        private long zeros;
        private long low;
        private long high;

        Sweep(FloatBuffer values, ChannelLayout layout, float below, float above) {
            this.values = values;
            this.below = below;
            this.above = above;
            this.pivot = values.get(0);
            this.unitMax = new float[layout.channels()];
            java.util.Arrays.fill(unitMax, Float.NEGATIVE_INFINITY);
            this.count = layout.length();
        }

        @Override
        public void accept(int c, int length, int at) {
            float[] v = buf;
            values.get(at, v, 0, length);
            float k = pivot;
            float lower = below;
            float upper = above;
            float s0 = 0, s1 = 0, q0 = 0, q1 = 0;
            float m0 = unitMax[c], m1 = m0;
            int z = 0, lo = 0, hi = 0;
            int i = 0;
            for (; i + 1 < length; i += 2) { // two chains of each sum, so that the additions overlap
                float a = v[i];
                float b = v[i + 1];
                float da = a - k;
                float db = b - k;
                s0 += da;
                s1 += db;
                q0 += da * da;
                q1 += db * db;
                m0 = a > m0 ? a : m0;
                m1 = b > m1 ? b : m1;
                z += isZero(a) + isZero(b);
                lo += isNegative(a - lower) + isNegative(b - lower);
                hi += isNegative(upper - a) + isNegative(upper - b);
            }
            if (i < length) {
                float a = v[i];
                float da = a - k;
                s0 += da;
                q0 += da * da;
                m0 = a > m0 ? a : m0;
                z += isZero(a);
                lo += isNegative(a - lower);
                hi += isNegative(upper - a);
            }
            unitMax[c] = Math.max(m0, m1);
            sum += (double) s0 + s1;
            squares += (double) q0 + q1;
            zeros += z;
            low += lo;
            high += hi;
        }

        /** 1 for 0 and -0, else 0. */
        private static int isZero(float x) {
            return ((Float.floatToRawIntBits(x) & 0x7FFFFFFF) - 1) >>> 31;
        }

        /**
         * 1 when the sign bit of {@code x} is set, else 0: for {@code x = a - b} of two distinct non-NaN floats, 1
         * exactly when {@code a < b} (the difference of two distinct floats is never 0).
         */
        private static int isNegative(float x) {
            return Float.floatToRawIntBits(x) >>> 31;
        }

        Summary summary(boolean hasUnits) {
            double m = sum / count;
            double variance = count > 1 ? Math.max(0, (squares - m * m * count) / (count - 1)) : 0;
            int dead = 0;
            for (float max : unitMax) {
                dead += max <= 0 ? 1 : 0;
            }
            return new Summary(pivot + m, Math.sqrt(variance), (double) zeros / count, (double) low / count,
                    (double) high / count, hasUnits ? (double) dead / unitMax.length : Double.NaN);
        }
    }
}
