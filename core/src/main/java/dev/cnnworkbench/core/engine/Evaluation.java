package dev.cnnworkbench.core.engine;

/**
 * A model's loss and accuracy on a labelled set.
 *
 * @param loss        mean data loss (no regularisation term)
 * @param accuracy    fraction of examples whose arg-max prediction is the label
 * @param predictions the predicted class of each example, in the set's order
 */
public record Evaluation(double loss, double accuracy, int[] predictions) {
}
