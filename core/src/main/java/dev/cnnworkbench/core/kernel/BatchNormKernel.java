package dev.cnnworkbench.core.kernel;

import java.nio.FloatBuffer;

/**
 * The passes of batch normalization over float data in a {@link ChannelLayout}, each pass one sweep over memory:
 * the batch statistics in one read, the normalised output in one read and one write, and the backward pass in one
 * read of input and gradient for the sums and one more to write the input's gradient. DL4J 1.0.0-M2.1's oneDNN path
 * makes about five times as many sweeps (separate mean and variance reductions before oneDNN's kernel, about eight
 * broadcast passes after its backward kernel).
 *
 * <p>Values are computed in the layout's runs without branches. Per channel, sums are taken in float over at most
 * one plane and added in double; the variance is taken around the channel's first value, so a large mean costs no
 * precision. Each pass runs on the calling thread alone: a second thread made a ResNet-20 step no faster (DL4J's
 * OpenMP threads spin on the other core between their kernels, and these passes are bound by memory). Buffers are
 * read and written with absolute calls, so callers may share them.
 * Thread-safe.
 */
public final class BatchNormKernel {

    private BatchNormKernel() {
    }

    /**
     * The mean and the biased variance (divided by examples x plane) of each channel of {@code x}, into {@code mean}
     * and {@code variance}.
     */
    public static void statistics(FloatBuffer x, ChannelLayout layout, float[] mean, float[] variance) {
        int channels = layout.channels();
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        float[] pivot = new float[channels];
        for (int c = 0; c < channels; c++) {
            pivot[c] = x.get(c * layout.plane());
        }
        float[] buf = new float[ChannelLayout.CHUNK];
        layout.forEachRun((c, len, at) -> {
            x.get(at, buf, 0, len);
            float k = pivot[c];
            float s0 = 0, s1 = 0, q0 = 0, q1 = 0;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                float d0 = buf[i] - k;
                float d1 = buf[i + 1] - k;
                s0 += d0;
                s1 += d1;
                q0 += d0 * d0;
                q1 += d1 * d1;
            }
            if (i < len) {
                float d = buf[i] - k;
                s0 += d;
                q0 += d * d;
            }
            sum[c] += (double) s0 + s1;
            squares[c] += (double) q0 + q1;
        });
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / layout.count();
            mean[c] = (float) (pivot[c] + m);
            variance[c] = (float) Math.max(0, squares[c] / layout.count() - m * m);
        }
    }

    /** {@code y = x * scale[c] + shift[c]} for every value of every channel {@code c}. */
    public static void affine(FloatBuffer x, FloatBuffer y, ChannelLayout layout, float[] scale, float[] shift) {
        float[] buf = new float[ChannelLayout.CHUNK];
        layout.forEachRun((c, len, at) -> {
            x.get(at, buf, 0, len);
            float a = scale[c];
            float b = shift[c];
            for (int i = 0; i < len; i++) {
                buf[i] = buf[i] * a + b;
            }
            y.put(at, buf, 0, len);
        });
    }

    /** Per channel, the sum of the output gradient {@code dy} and of {@code dy * x}, added to the two arrays. */
    public static void gradientSums(FloatBuffer x, FloatBuffer dy, ChannelLayout layout, double[] sumDy,
                                    double[] sumDyX) {
        float[] xs = new float[ChannelLayout.CHUNK];
        float[] gs = new float[ChannelLayout.CHUNK];
        layout.forEachRun((c, len, at) -> {
            x.get(at, xs, 0, len);
            dy.get(at, gs, 0, len);
            float s0 = 0, s1 = 0, t0 = 0, t1 = 0;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                s0 += gs[i];
                s1 += gs[i + 1];
                t0 += gs[i] * xs[i];
                t1 += gs[i + 1] * xs[i + 1];
            }
            if (i < len) {
                s0 += gs[i];
                t0 += gs[i] * xs[i];
            }
            sumDy[c] += (double) s0 + s1;
            sumDyX[c] += (double) t0 + t1;
        });
    }

    /** {@code dx = a[c] * dy + b[c] * x + k[c]} for every value of every channel {@code c}. */
    public static void combine(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, ChannelLayout layout, float[] a,
                               float[] b, float[] k) {
        float[] xs = new float[ChannelLayout.CHUNK];
        float[] gs = new float[ChannelLayout.CHUNK];
        layout.forEachRun((c, len, at) -> {
            x.get(at, xs, 0, len);
            dy.get(at, gs, 0, len);
            float ac = a[c];
            float bc = b[c];
            float kc = k[c];
            for (int i = 0; i < len; i++) {
                gs[i] = ac * gs[i] + bc * xs[i] + kc;
            }
            dx.put(at, gs, 0, len);
        });
    }
}
