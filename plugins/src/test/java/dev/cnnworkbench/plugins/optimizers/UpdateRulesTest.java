package dev.cnnworkbench.plugins.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnworkbench.core.plugin.OptimizerPlugin;
import dev.cnnworkbench.plugins.TestParams;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.FixedSchedule;

/**
 * The first three steps of each optimizer on the quadratic {@code f(x) = 1/2 * sum(a_i * x_i^2)} match the update
 * rules of the lecture notes, written out here in plain doubles. Steps go through DL4J's own path: the updater
 * overwrites the gradient with the step, post-updater regularization is added, the parameters lose the step.
 */
class UpdateRulesTest {

    private static final double[] A = {1.0, 10.0, 0.1};
    private static final double[] X0 = {1.0, -2.0, 0.5};
    private static final double LR = 0.1;
    private static final int STEPS = 3;

    private static double[] grad(double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            g[i] = A[i] * x[i];
        }
        return g;
    }

    /**
     * The trajectory DL4J produces for {@code plugin} with {@code raw} parameters, in double (ND4J's operations);
     * checked first to agree with the same steps in float (the one-sweep kernels, where the plugin has one).
     */
    private static double[][] dl4j(OptimizerPlugin plugin, Map<String, Object> raw) {
        double[][] path = dl4j(plugin, raw, DataType.DOUBLE);
        double[][] floats = dl4j(plugin, raw, DataType.FLOAT);
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < X0.length; i++) {
                assertThat(floats[t][i]).as("in float: step %d, x[%d]", t + 1, i)
                        .isCloseTo(path[t][i], within(1e-5 * (1 + Math.abs(path[t][i]))));
            }
        }
        return path;
    }

    private static double[][] dl4j(OptimizerPlugin plugin, Map<String, Object> raw, DataType type) {
        var params = TestParams.of(plugin, raw);
        IUpdater config = plugin.build(params, new FixedSchedule(plugin.learningRate(params)));
        long stateSize = config.stateSize(X0.length);
        INDArray state = stateSize == 0 ? null : Nd4j.zeros(type, 1, stateSize);
        GradientUpdater<?> updater = config.instantiate(state, true);
        INDArray x = Nd4j.createFromArray(X0.clone()).castTo(type);
        double[][] path = new double[STEPS][];
        for (int it = 0; it < STEPS; it++) {
            INDArray g = Nd4j.createFromArray(grad(x.toDoubleVector())).castTo(type);
            updater.applyUpdater(g, it, 0);
            if (plugin instanceof AdamWOptimizer adamw) {
                for (Regularization r : adamw.regularization(params)) {
                    r.apply(x, g, config.getLearningRate(it, 0), it, 0);
                }
            }
            x.subi(g);
            path[it] = x.toDoubleVector();
        }
        return path;
    }

    private static void assertPath(double[][] actual, double[][] expected) {
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < X0.length; i++) {
                assertThat(actual[t][i]).as("step %d, x[%d]", t + 1, i).isCloseTo(expected[t][i], within(1e-6));
            }
        }
    }

    @Test
    void sgdStepsAgainstTheGradient() {
        double[] x = X0.clone();
        double[][] expected = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            double[] dw = grad(x);
            for (int i = 0; i < x.length; i++) {
                x[i] -= LR * dw[i];
            }
            expected[t] = x.clone();
        }
        assertPath(dl4j(new SgdOptimizer(), Map.of("lr", LR)), expected);
    }

    @Test
    void momentumAccumulatesVelocityThenAddsIt() {
        double rho = 0.9;
        double[] x = X0.clone();
        double[] v = new double[x.length];
        double[][] expected = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            double[] dw = grad(x);
            for (int i = 0; i < x.length; i++) {
                v[i] = rho * v[i] - LR * dw[i];
                x[i] += v[i];
            }
            expected[t] = x.clone();
        }
        assertPath(dl4j(new MomentumOptimizer(), Map.of("lr", LR, "momentum", rho)), expected);
    }

    @Test
    void nesterovUsesTheLookAheadForm() {
        double rho = 0.9;
        double[] x = X0.clone();
        double[] v = new double[x.length];
        double[][] expected = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            double[] dw = grad(x);
            for (int i = 0; i < x.length; i++) {
                double oldV = v[i];
                v[i] = rho * v[i] - LR * dw[i];
                x[i] -= rho * oldV - (1 + rho) * v[i];
            }
            expected[t] = x.clone();
        }
        assertPath(dl4j(new NesterovOptimizer(), Map.of("lr", LR, "momentum", rho)), expected);
    }

    @Test
    void adagradScalesBySummedSquaredGradients() {
        double eps = 1e-6;
        double[] x = X0.clone();
        double[] cache = new double[x.length];
        double[][] expected = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            double[] dw = grad(x);
            for (int i = 0; i < x.length; i++) {
                cache[i] += dw[i] * dw[i];
                x[i] -= LR * dw[i] / (Math.sqrt(cache[i]) + eps);
            }
            expected[t] = x.clone();
        }
        assertPath(dl4j(new AdagradOptimizer(), Map.of("lr", LR, "eps", eps)), expected);
    }

    @Test
    void rmspropScalesByLeakySquaredGradients() {
        double decay = 0.9;
        double eps = 1e-8;
        double[] x = X0.clone();
        double[] cache = new double[x.length];
        double[][] expected = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            double[] dw = grad(x);
            for (int i = 0; i < x.length; i++) {
                cache[i] = decay * cache[i] + (1 - decay) * dw[i] * dw[i];
                x[i] -= LR * dw[i] / (Math.sqrt(cache[i]) + eps);
            }
            expected[t] = x.clone();
        }
        assertPath(dl4j(new RmspropOptimizer(), Map.of("lr", LR, "decay", decay, "eps", eps)), expected);
    }

    /** Adam with bias correction; {@code wd} adds AdamW's decoupled decay {@code lr * wd * x}. */
    private static double[][] adam(double b1, double b2, double eps, double wd) {
        double[] x = X0.clone();
        double[] m = new double[x.length];
        double[] v = new double[x.length];
        double[][] expected = new double[STEPS][];
        for (int t = 1; t <= STEPS; t++) {
            double[] dw = grad(x);
            for (int i = 0; i < x.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * dw[i];
                v[i] = b2 * v[i] + (1 - b2) * dw[i] * dw[i];
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                x[i] -= LR * (mHat / (Math.sqrt(vHat) + eps) + wd * x[i]);
            }
            expected[t - 1] = x.clone();
        }
        return expected;
    }

    @Test
    void adamCorrectsTheBiasOfBothMoments() {
        assertPath(dl4j(new AdamOptimizer(), Map.of("lr", LR)), adam(0.9, 0.999, 1e-8, 0));
    }

    @Test
    void adamwIsAdamPlusDecoupledWeightDecay() {
        assertPath(dl4j(new AdamWOptimizer(), Map.of("lr", LR, "weight_decay", 0.1)), adam(0.9, 0.999, 1e-8, 0.1));
    }

    @Test
    void adamwWithoutDecayIsAdam() {
        assertPath(dl4j(new AdamWOptimizer(), Map.of("lr", LR, "weight_decay", 0)), adam(0.9, 0.999, 1e-8, 0));
    }
}
