package dev.cnnworkbench.core.summary;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Parameters and multiply-adds of one DL4J vertex, from its built configuration.
 *
 * @param params learnable parameters
 * @param stored values in DL4J's parameter vector (differs from {@code params} for batchnorm only)
 * @param macs   multiply-adds per example
 */
record VertexCost(long params, long stored, long macs) {

    static final VertexCost NONE = new VertexCost(0, 0, 0);

    /** The cost of {@code vertex}, whose output per example is {@code output}. */
    static VertexCost of(GraphVertex vertex, InputType output) {
        if (!(vertex instanceof LayerVertex lv)) {
            return NONE;
        }
        Layer layer = lv.getLayerConf().getLayer();
        long stored = layer.initializer().numParams(layer);
        if (layer instanceof BatchNormalization bn) {
            // DL4J keeps gamma, beta, mean and variance per channel; only gamma and beta are learned.
            return new VertexCost(bn.isLockGammaBeta() ? 0 : 2 * bn.getNOut(), stored, 0);
        }
        if (layer instanceof ConvolutionLayer conv && !(layer instanceof Deconvolution2D)
                && output instanceof InputType.InputTypeConvolutional out) {
            // Every weight is used once per output position (true of plain, depthwise and separable kernels).
            long weights = stored - (conv.hasBias() ? conv.getNOut() : 0);
            return new VertexCost(stored, stored, Saturating.product(weights, out.getHeight(), out.getWidth()));
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
            var ff = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
            return new VertexCost(stored, stored, Saturating.product(ff.getNIn(), ff.getNOut()));
        }
        return new VertexCost(stored, stored, 0);
    }
}
