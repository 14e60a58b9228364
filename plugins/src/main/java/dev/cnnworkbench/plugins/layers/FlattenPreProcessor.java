package dev.cnnworkbench.plugins.layers;

import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Flattens {@code [N, C, H, W]} activations to {@code [N, C*H*W]} in C order (channel, then row, then column), and
 * passes vectors through unchanged, so it may follow a convolution as well as a global pooling. DL4J's own
 * {@code CnnToFeedForwardPreProcessor} rejects vector inputs. The volume shape is fixed when the configuration is
 * built ({@link #getOutputType}) and written into the model JSON.
 */
public final class FlattenPreProcessor implements InputPreProcessor {

    @JsonProperty
    private long channels;
    @JsonProperty
    private long height;
    @JsonProperty
    private long width;

    public FlattenPreProcessor() {
    }

    @JsonCreator
    public FlattenPreProcessor(@JsonProperty("channels") long channels, @JsonProperty("height") long height,
                               @JsonProperty("width") long width) {
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() == 2) {
            return input;
        }
        if (input.ordering() != 'c' || !Shape.hasDefaultStridesForShape(input)) {
            input = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
        }
        long[] s = input.shape();
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input.reshape('c', s[0], s[1] * s[2] * s[3]));
    }

    @Override
    public INDArray backprop(INDArray epsilons, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (channels == 0 || epsilons.rank() != 2) {
            return epsilons;
        }
        if (epsilons.ordering() != 'c' || !Shape.hasDefaultStridesForShape(epsilons)) {
            epsilons = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilons, 'c');
        }
        INDArray volume = epsilons.reshape('c', epsilons.size(0), channels, height, width);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, volume);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (inputType instanceof InputType.InputTypeConvolutional c) {
            if (c.getFormat() != CNN2DFormat.NCHW) {
                throw new IllegalStateException("flatten expects channels-first (NCHW) volumes, got " + inputType);
            }
            channels = c.getChannels();
            height = c.getHeight();
            width = c.getWidth();
            return InputType.feedForward(channels * height * width);
        }
        if (inputType instanceof InputType.InputTypeConvolutionalFlat f) {
            return InputType.feedForward(f.getFlattenedSize());
        }
        if (inputType instanceof InputType.InputTypeFeedForward) {
            channels = 0;
            return inputType;
        }
        throw new IllegalStateException("flatten expects a volume or a vector, got " + inputType);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public FlattenPreProcessor clone() {
        return new FlattenPreProcessor(channels, height, width);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlattenPreProcessor f && f.channels == channels && f.height == height && f.width == width;
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, height, width);
    }

    @Override
    public String toString() {
        return "FlattenPreProcessor(" + channels + "x" + height + "x" + width + ")";
    }
}
