package dev.cnnworkbench.core.summary;

import dev.cnnworkbench.core.experiment.Experiment;
import java.util.List;

/**
 * What a network costs, layer by layer, computed from its DL4J configuration alone: nothing is initialised or
 * trained, so even VGG-16 summarises in well under a second.
 *
 * <p>Parameters are counted the lecture notes' way: weights and biases of convolutions and fully connected layers,
 * gamma and beta of batch normalization. DL4J also stores batchnorm's running mean and variance in the parameter
 * vector; they are not learned, so they are left out of {@link #totalParams()} and reported in
 * {@link #storedValues()}. Counts saturate at {@link Long#MAX_VALUE} rather than wrap. Multiply-adds count convolutions ({@code H' * W' * C_out * K_H * K_W * C_in}) and fully
 * connected layers ({@code in * out}); pooling, activations, normalisation and sums count zero, as in the notes.
 *
 * @param input          {@code [C, H, W]} of one input example
 * @param layers         one row per spec layer, in order
 * @param totalParams    learnable parameters of the whole network
 * @param totalMacs      multiply-adds of one forward pass of one example
 * @param storedValues   values DL4J keeps in its parameter vector (learnable plus batchnorm statistics)
 * @param activationValues values all vertices output for one example (what a forward pass keeps for the backward one)
 * @param receptiveField of the last layer with a spatial output; {@code null} when there is none
 */
public record ModelSummary(List<Integer> input, List<LayerSummary> layers, long totalParams, long totalMacs,
                           long storedValues, long activationValues, ReceptiveField receptiveField) {

    /** The one line a summary prints under its table, so nobody mistakes what "params" means. */
    public static final String COUNTING_NOTE = "params = learnable parameters as the lecture notes count them"
            + " (weights, biases, batchnorm gamma and beta); DL4J also stores batchnorm's running mean and variance."
            + " MACs = multiply-adds of one example's forward pass (convolutions and fully connected layers).";

    public ModelSummary {
        input = List.copyOf(input);
        layers = List.copyOf(layers);
    }

    /**
     * Summarises {@code experiment}'s network. {@code classes} sizes an output layer whose {@code units} is 0, as
     * the data would when training.
     *
     * @throws dev.cnnworkbench.core.spec.SpecException when the layers do not fit together
     */
    public static ModelSummary of(Experiment experiment, int classes) {
        return Summarizer.summarize(experiment, classes);
    }

    /** The row named {@code name}. */
    public LayerSummary layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer named " + name));
    }

    /** The rows whose spec type is {@code type}, in order. */
    public List<LayerSummary> layersOfType(String type) {
        return layers.stream().filter(l -> l.type().equals(type)).toList();
    }
}
