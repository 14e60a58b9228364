package dev.cnnworkbench.plugins.layers;

import java.util.Collection;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Configuration of layer normalization, a DL4J layer of our own (1.0.0-M2.1 only offers it inside dense layers,
 * and its SameDiff layers double their gradients in a graph): each example is normalised over all of its
 * features, {@code y = gamma * (x - mu) / sqrt(var + eps) + beta} with {@code mu, var} per example, and
 * {@code gamma, beta} per channel of a volume or per feature of a vector, as in the lecture notes. The input shape
 * is fixed when the network configuration is built ({@link #setNIn}) and written into the model JSON.
 */
public final class LayerNormalization extends FeedForwardLayer {

    @JsonProperty
    private double eps = 1e-5;
    @JsonProperty
    private boolean volume;

    /** For Jackson. */
    public LayerNormalization() {
    }

    private LayerNormalization(Builder builder) {
        super(builder);
        this.eps = builder.eps;
    }

    double eps() {
        return eps;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerNormRuntime layer = new LayerNormRuntime(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return LayerNormParams.INSTANCE;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn > 0 && !override) {
            return;
        }
        if (inputType instanceof InputType.InputTypeConvolutional c) {
            if (c.getFormat() != CNN2DFormat.NCHW) {
                throw new IllegalStateException("layernorm expects channels-first (NCHW) volumes, got " + inputType);
            }
            volume = true;
            nIn = c.getChannels();
        } else if (inputType instanceof InputType.InputTypeFeedForward f) {
            volume = false;
            nIn = f.getSize();
        } else {
            throw new IllegalStateException("layernorm expects a volume or a vector, got " + inputType);
        }
        nOut = nIn;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional)
                && !(inputType instanceof InputType.InputTypeFeedForward)) {
            throw new IllegalStateException("layernorm expects a volume or a vector, got " + inputType);
        }
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        long perExample = 3 * inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, LayerNormalization.class, inputType, outputType)
                .standardMemory(params, iUpdater == null ? 0 : iUpdater.stateSize(params))
                .workingMemory(0, perExample, 0, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public LayerNormalization clone() {
        return (LayerNormalization) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerNormalization l && super.equals(o) && Double.compare(l.eps, eps) == 0
                && l.volume == volume;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), eps, volume);
    }

    /** Builds the layer; {@code eps} is added to the variance. */
    @SuppressWarnings("unchecked") // DL4J declares build() generic in the layer type
    public static final class Builder extends FeedForwardLayer.Builder<Builder> {

        private double eps = 1e-5;

        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        @Override
        public LayerNormalization build() {
            return new LayerNormalization(this);
        }
    }
}
