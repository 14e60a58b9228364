package dev.cnnworkbench.core.kernel;

import java.lang.reflect.Field;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Puts the workbench's own kernels into a network's layers where they beat the ones DL4J picked, on the CPU (on a GPU,
 * cuDNN's and CUDA's stay): batch normalization ({@link JavaBatchNormHelper}) and plain ReLU activation layers
 * ({@link JavaReluLayer}). DL4J picks a layer's helper and implementation when the network is initialised and offers
 * no switch for another, so this sets the batch-norm layers' helper field and puts the ReLU layers' new implementation
 * into the graph (its vertex and its list of layers); the configuration, and so every saved file, stays DL4J's own.
 * Every network the workbench builds or reads goes through {@link #install} right after it is initialised
 * ({@code NetworkFactory.create}, and after a transfer that makes layers anew), so a network computes the same way
 * whether built, resumed or read back for an ensemble.
 *
 * <p>Call before the network is used, from the thread that owns it.
 */
public final class Kernels {

    private static final Field BATCH_NORM_HELPER = field(BatchNormalization.class, "helper");
    private static final Field VERTEX_LAYER = field(LayerVertex.class, "layer");
    private static final Field LAYER_DATA_TYPE = field(AbstractLayer.class, "dataType");

    private Kernels() {
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this DL4J version has no " + type.getSimpleName() + "." + name
                    + " field: the workbench's kernels need 1.0.0-M2.1", e);
        }
    }

    /**
     * Returns {@code net} computing with the workbench's kernels: its batch-normalization layers (frozen ones too) and
     * its trainable plain-ReLU activation layers.
     */
    public static ComputationGraph install(ComputationGraph net) {
        if (Nd4j.getEnvironment().isCPU()) {
            replaceBatchNormHelpers(net, current -> current instanceof JavaBatchNormHelper ? current
                    : new JavaBatchNormHelper(current));
            replaceActivationLayers(net, layer -> layer.getClass() == ActivationLayer.class
                    && JavaReluLayer.plainRelu(layer.layerConf().getActivationFn())
                    ? new JavaReluLayer(layer.conf(), dataType(layer)) : layer);
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
        replaceActivationLayers(net, layer -> layer instanceof JavaReluLayer
                ? new ActivationLayer(layer.conf(), dataType(layer)) : layer);
        return net;
    }

    private static org.nd4j.linalg.api.buffer.DataType dataType(ActivationLayer layer) {
        try {
            return (org.nd4j.linalg.api.buffer.DataType) LAYER_DATA_TYPE.get(layer);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Puts {@code replacement(layer)} in place of every activation layer of {@code net} that is a vertex's own layer
     * (not inside a frozen wrapper), with the same index and listeners.
     */
    private static void replaceActivationLayers(ComputationGraph net,
                                                UnaryOperator<ActivationLayer> replacement) {
        Layer[] layers = net.getLayers();
        for (GraphVertex vertex : net.getVertices()) {
            if (!(vertex instanceof LayerVertex lv) || !(lv.getLayer() instanceof ActivationLayer current)) {
                continue;
            }
            ActivationLayer next = replacement.apply(current);
            if (next == current) {
                continue;
            }
            next.setIndex(current.getIndex());
            next.setListeners(current.getListeners());
            try {
                VERTEX_LAYER.set(lv, next);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            for (int i = 0; i < layers.length; i++) {
                if (layers[i] == current) {
                    layers[i] = next;
                }
            }
        }
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
