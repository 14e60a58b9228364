package dev.cnnworkbench.core.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One layer of a network the diagnostics watch, named as the graph names its vertex ({@code conv1}, {@code dense1},
 * {@code output1}). A layer is watched when it has parameters or is a stand-alone activation layer; pooling, dropout
 * and reshaping layers are not (their statistics repeat their input's).
 *
 * @param name       the vertex name, used in metric names such as {@code update_ratio/conv1}
 * @param layer      the runtime layer
 * @param weightKey  the parameter whose update ratio and norms are measured ({@code W}, DL4J's weight matrix or
 *                   kernel), or {@code null} for layers without one (batch norm, activation layers) and for frozen
 *                   layers (transfer learning's feature extractor: no gradients, no updates, nothing to warn about)
 * @param activation the layer's non-linearity family
 * @param output     whether this is an output (loss) layer: its saturation and dead units are not checked
 */
record WatchedLayer(String name, Layer layer, String weightKey, ActivationKind activation, boolean output) {

    /** DL4J's name of the weight matrix or convolution kernel of dense, convolution and output layers. */
    static final String WEIGHTS = "W";

    /** The watched layers of {@code net}, in topological order (input side first). */
    static List<WatchedLayer> of(ComputationGraph net) {
        List<WatchedLayer> out = new ArrayList<>();
        GraphVertex[] vertices = net.getVertices();
        for (int index : net.topologicalSortOrder()) {
            GraphVertex v = vertices[index];
            if (!v.hasLayer()) {
                continue;
            }
            Layer layer = v.getLayer();
            var conf = layer.conf() == null ? null : layer.conf().getLayer();
            IActivation fn = conf instanceof BaseLayer b ? b.getActivationFn()
                    : conf instanceof ActivationLayer a ? a.getActivationFn() : null;
            boolean hasParams = layer.numParams() > 0;
            if (!hasParams && !(conf instanceof ActivationLayer)) {
                continue;
            }
            boolean frozen = layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop;
            String weightKey = hasParams && !frozen && layer.paramTable().containsKey(WEIGHTS) ? WEIGHTS : null;
            out.add(new WatchedLayer(v.getVertexName(), layer, weightKey,
                    fn == null ? ActivationKind.OTHER : ActivationKind.of(fn), layer instanceof IOutputLayer));
        }
        return out;
    }

    boolean hasWeights() {
        return weightKey != null;
    }

    /** The weights, a view of the network's parameters (no copy). */
    INDArray weights() {
        return layer.getParam(weightKey);
    }

    /**
     * The part of the network's gradient view that belongs to the weights (no copy): the raw gradient after
     * back-propagation, the applied update (learning rate, momentum and penalties included) once the optimizer has
     * stepped. A layer's parameter and gradient views share one layout (DL4J's step subtracts one from the other
     * element-wise), so the weights' offset inside the layer's parameters is also their offset inside its gradients.
     */
    INDArray weightGradient() {
        INDArray params = layer.params();
        INDArray grads = layer.getGradientsViewArray();
        INDArray w = weights();
        long from = w.offset() - params.offset();
        INDArray flat = grads.reshape(grads.length());
        return flat.get(NDArrayIndex.interval(from, from + w.length()));
    }
}
