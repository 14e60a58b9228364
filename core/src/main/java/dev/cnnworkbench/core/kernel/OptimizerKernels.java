package dev.cnnworkbench.core.kernel;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Optimizer steps over a block of parameters in one sweep over memory, for the optimizer plugins: each reads the
 * gradient and the state, writes the state back and overwrites the gradient with the step that DL4J then subtracts
 * from the parameters. Written as chains of ND4J operations, the same steps take four to twelve sweeps, some of them
 * into temporary arrays (Adam was 14% of a LeNet training step). Arithmetic is in float, as ND4J's.
 *
 * <p>Arrays are modified in place; callers check {@link #computes} first and fall back to ND4J's operations.
 * Thread-safe for distinct arrays.
 */
public final class OptimizerKernels {

    private OptimizerKernels() {
    }

    /** Whether the kernels can work on {@code arrays} in place: float, dense row-major, of one length. */
    public static boolean computes(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a.dataType() != DataType.FLOAT || !Dense.is(a) || a.length() != arrays[0].length()
                    || a.length() > Integer.MAX_VALUE || a.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adam's step: {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; g = stepScale*m / (sqrt(varianceScale*v) +
     * epsilon)}, with {@code stepScale = lr/(1-b1^t)} and {@code varianceScale = 1/(1-b2^t)} for bias correction.
     */
    public static void adam(INDArray gradient, INDArray m, INDArray v, float beta1, float beta2, float stepScale,
                            float varianceScale, float epsilon) {
        FloatBuffer gb = Dense.floats(gradient);
        FloatBuffer mb = Dense.floats(m);
        FloatBuffer vb = Dense.floats(v);
        float[] gs = new float[ChannelLayout.CHUNK];
        float[] ms = new float[ChannelLayout.CHUNK];
        float[] vs = new float[ChannelLayout.CHUNK];
        float b1 = 1 - beta1;
        float b2 = 1 - beta2;
        new ChannelLayout(1, 1, (int) gradient.length()).forEachRun((c, len, at) -> {
            gb.get(at, gs, 0, len);
            mb.get(at, ms, 0, len);
            vb.get(at, vs, 0, len);
            for (int i = 0; i < len; i++) {
                float g = gs[i];
                float mi = beta1 * ms[i] + b1 * g;
                float vi = beta2 * vs[i] + b2 * (g * g);
                ms[i] = mi;
                vs[i] = vi;
                gs[i] = stepScale * mi / ((float) Math.sqrt(varianceScale * vi) + epsilon);
            }
            mb.put(at, ms, 0, len);
            vb.put(at, vs, 0, len);
            gb.put(at, gs, 0, len);
        });
    }

    /** Classic momentum's step: {@code v = mu*v - lr*g; g = -v}. */
    public static void momentum(INDArray gradient, INDArray velocity, float mu, float lr) {
        FloatBuffer gb = Dense.floats(gradient);
        FloatBuffer vb = Dense.floats(velocity);
        float[] gs = new float[ChannelLayout.CHUNK];
        float[] vs = new float[ChannelLayout.CHUNK];
        new ChannelLayout(1, 1, (int) gradient.length()).forEachRun((c, len, at) -> {
            gb.get(at, gs, 0, len);
            vb.get(at, vs, 0, len);
            for (int i = 0; i < len; i++) {
                float vi = mu * vs[i] - lr * gs[i];
                vs[i] = vi;
                gs[i] = -vi;
            }
            vb.put(at, vs, 0, len);
            gb.put(at, gs, 0, len);
        });
    }
}
