package dev.cnnworkbench.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Every pass of the kernel against a plain double-precision reading of its contract, over layouts. */
class BatchNormKernelTest {

    @Property(tries = 60)
    void everyPassMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 9) int examples,
                                       @ForAll @IntRange(min = 1, max = 7) int channels,
                                       @ForAll @IntRange(min = 1, max = 5000) int plane,
                                       @ForAll long seed) {
        ChannelLayout layout = new ChannelLayout(examples, channels, plane);
        int length = examples * channels * plane;
        Random random = new Random(seed);
        float offset = 50 * (float) random.nextGaussian(); // a large mean must not cost the variance its precision
        FloatBuffer x = direct(length);
        FloatBuffer dy = direct(length);
        for (int i = 0; i < length; i++) {
            x.put(i, offset + 2 * (float) random.nextGaussian());
            dy.put(i, (float) random.nextGaussian());
        }

        float[] mean = new float[channels];
        float[] variance = new float[channels];
        BatchNormKernel.statistics(x, layout, mean, variance);
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        double[] sumDy = new double[channels];
        double[] sumDyX = new double[channels];
        for (int c = 0; c < channels; c++) {
            double m = 0;
            double dyTotal = 0;
            double dyXTotal = 0;
            for (int n = 0; n < examples; n++) {
                for (int p = 0; p < plane; p++) {
                    int i = (n * channels + c) * plane + p;
                    m += x.get(i);
                    dyTotal += dy.get(i);
                    dyXTotal += (double) dy.get(i) * x.get(i);
                }
            }
            m /= (double) examples * plane;
            double v = 0;
            for (int n = 0; n < examples; n++) {
                for (int p = 0; p < plane; p++) {
                    double d = x.get((n * channels + c) * plane + p) - m;
                    v += d * d;
                }
            }
            v /= (double) examples * plane;
            assertEquals(m, mean[c], 1e-4 * Math.max(1, Math.abs(m)), "mean of channel " + c);
            assertEquals(v, variance[c], 2e-3 * v, "variance of channel " + c);
            scale[c] = (float) random.nextGaussian();
            shift[c] = (float) random.nextGaussian();
            sumDy[c] = dyTotal;
            sumDyX[c] = dyXTotal;
        }

        FloatBuffer y = direct(length);
        BatchNormKernel.affine(x, y, layout, scale, shift);
        double[] gotDy = new double[channels];
        double[] gotDyX = new double[channels];
        BatchNormKernel.gradientSums(x, dy, layout, gotDy, gotDyX);
        FloatBuffer dx = direct(length);
        BatchNormKernel.combine(x, dy, dx, layout, scale, shift, mean);
        for (int c = 0; c < channels; c++) {
            double tolerance = 1e-4 * Math.sqrt((double) examples * plane) * Math.max(1, Math.abs(offset));
            assertEquals(sumDy[c], gotDy[c], tolerance, "sum of dy, channel " + c);
            assertEquals(sumDyX[c], gotDyX[c], tolerance * Math.max(1, Math.abs(offset)), "sum of dy*x, channel " + c);
        }
        for (int i = 0; i < length; i++) {
            int c = (i / plane) % channels;
            assertEquals(x.get(i) * scale[c] + shift[c], y.get(i), 1e-4 * Math.max(1, Math.abs(y.get(i))), "y at " + i);
            float expected = scale[c] * dy.get(i) + shift[c] * x.get(i) + mean[c];
            assertEquals(expected, dx.get(i), 1e-4 * Math.max(1, Math.abs(expected)), "dx at " + i);
        }
    }

    private static FloatBuffer direct(int length) {
        return ByteBuffer.allocateDirect(4 * length).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
