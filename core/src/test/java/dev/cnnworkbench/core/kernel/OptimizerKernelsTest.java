package dev.cnnworkbench.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The one-sweep optimizer steps against their formulas in double, on slices of a larger array as DL4J's updater
 * blocks are (the state and gradient views of one block of a network's flattened arrays).
 */
class OptimizerKernelsTest {

    private static INDArray slice(INDArray whole, int from, int length) {
        return whole.get(NDArrayIndex.interval(from, from + length));
    }

    @Property(tries = 30)
    void adamAndMomentumStepAsTheirFormulasSay(@ForAll @IntRange(min = 1, max = 9000) int length,
                                               @ForAll @IntRange(min = 1, max = 50) int offset,
                                               @ForAll long seed) {
        Random random = new Random(seed);
        INDArray whole = Nd4j.rand(DataType.FLOAT, 4L * (length + offset)).subi(0.5f);
        INDArray g = slice(whole, offset, length);
        INDArray m = slice(whole, length + offset, length);
        INDArray v = slice(whole, 2 * (length + offset), length).muli(m.ulike().assign(0)).addi(
                Nd4j.rand(DataType.FLOAT, length)); // second moments are not negative
        INDArray u = slice(whole, 3 * (length + offset), length);
        assertThat(OptimizerKernels.computes(g, m, v, u)).isTrue();
        double[] g0 = g.toDoubleVector();
        double[] m0 = m.toDoubleVector();
        double[] v0 = v.toDoubleVector();
        double[] u0 = u.toDoubleVector();
        double[] outside = whole.get(NDArrayIndex.interval(0, offset)).toDoubleVector();
        float b1 = 0.9f, b2 = 0.999f, step = 0.01f / (1 - 0.9f), scale = 1 / (1 - 0.999f), eps = 1e-8f;
        float mu = 0.5f + 0.4f * random.nextFloat();
        float lr = 0.1f;

        OptimizerKernels.adam(g, m, v, b1, b2, step, scale, eps);
        double[] g1 = g.toDoubleVector();
        double[] m1 = m.toDoubleVector();
        double[] v1 = v.toDoubleVector();
        for (int i = 0; i < length; i++) {
            double em = b1 * m0[i] + (1 - b1) * g0[i];
            double ev = b2 * v0[i] + (1 - b2) * g0[i] * g0[i];
            double eg = step * em / (Math.sqrt(scale * ev) + eps);
            assertThat(m1[i]).as("m[%d]", i).isCloseTo(em, within(1e-6 * (1 + Math.abs(em))));
            assertThat(v1[i]).as("v[%d]", i).isCloseTo(ev, within(1e-6 * (1 + Math.abs(ev))));
            assertThat(g1[i]).as("step[%d]", i).isCloseTo(eg, within(1e-4 * (1 + Math.abs(eg))));
        }

        INDArray h = Nd4j.createFromArray(g0).castTo(DataType.FLOAT);
        OptimizerKernels.momentum(h, u, mu, lr);
        double[] h1 = h.toDoubleVector();
        double[] u1 = u.toDoubleVector();
        for (int i = 0; i < length; i++) {
            double ev = mu * u0[i] - lr * g0[i];
            assertThat(u1[i]).as("velocity[%d]", i).isCloseTo(ev, within(1e-6));
            assertThat(h1[i]).as("step[%d]", i).isCloseTo(-ev, within(1e-6));
        }
        assertThat(whole.get(NDArrayIndex.interval(0, offset)).toDoubleVector()).as("values before the slices")
                .containsExactly(outside);
    }

    @Test
    void onlyDenseFloatArraysOfOneLengthAreComputedInPlace() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 10);
        assertThat(OptimizerKernels.computes(a, Nd4j.rand(DataType.FLOAT, 10))).isTrue();
        assertThat(OptimizerKernels.computes(a, Nd4j.rand(DataType.DOUBLE, 10))).isFalse();
        assertThat(OptimizerKernels.computes(a, Nd4j.rand(DataType.FLOAT, 11))).isFalse();
        assertThat(OptimizerKernels.computes(a, Nd4j.rand(DataType.FLOAT, 20).get(NDArrayIndex.interval(0, 2, 20))))
                .as("every other value").isFalse();
    }
}
