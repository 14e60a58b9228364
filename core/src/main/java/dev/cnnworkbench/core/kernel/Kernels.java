package dev.cnnworkbench.core.kernel;

import java.lang.reflect.Field;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Puts the workbench's own kernels into a network's layers where they beat the ones DL4J picked: today batch
 * normalization on the CPU ({@link JavaBatchNormHelper}; on a GPU, cuDNN's stays). DL4J picks a layer's helper when
 * the layer is created and offers no switch for another, so this sets the layer's helper field; every network the
 * workbench builds or reads goes through {@link #install} right after it is initialised
 * ({@code NetworkFactory.create}, and after a transfer that makes layers anew), so a network computes the same way
 * whether built, resumed or read back for an ensemble.
 *
 * <p>Call before the network is used, from the thread that owns it.
 */
public final class Kernels {

    private static final Field BATCH_NORM_HELPER = helperField();

    private Kernels() {
    }

    private static Field helperField() {
        try {
            Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this DL4J version has no BatchNormalization.helper field: the workbench's"
                    + " kernels need 1.0.0-M2.1", e);
        }
    }

    /** Returns {@code net}, its batch-normalization layers (frozen ones too) computing with the workbench's kernel. */
    public static ComputationGraph install(ComputationGraph net) {
        if (Nd4j.getEnvironment().isCPU()) {
            replaceBatchNormHelpers(net, current -> current instanceof JavaBatchNormHelper ? current
                    : new JavaBatchNormHelper(current));
        }
        return net;
    }

    /**
     * Returns {@code net} computing with the kernels DL4J picked, as if {@link #install} had not run: what a
     * benchmark measures the workbench's kernels against.
     */
    public static ComputationGraph dl4jOnly(ComputationGraph net) {
        replaceBatchNormHelpers(net, current -> current instanceof JavaBatchNormHelper ours ? ours.fallback()
                : current);
        return net;
    }

    private static void replaceBatchNormHelpers(ComputationGraph net,
                                                UnaryOperator<BatchNormalizationHelper> replacement) {
        for (Layer layer : net.getLayers()) {
            while (layer instanceof BaseWrapperLayer wrapper) {
                layer = wrapper.getUnderlying();
            }
            if (layer instanceof BatchNormalization bn) {
                try {
                    BATCH_NORM_HELPER.set(bn, replacement.apply((BatchNormalizationHelper) BATCH_NORM_HELPER.get(bn)));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
