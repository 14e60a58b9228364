package dev.cnnworkbench.core.diagnostics;

/**
 * One layer's statistics at one sampled iteration. A value the layer does not have is {@code NaN}: the norms and the
 * ratio for layers without weights, the dead fraction for non-ReLU layers, the saturated fraction for layers that are
 * neither tanh nor sigmoid.
 *
 * @param layer         the watched layer
 * @param gradNorm      ||dL/dW||, the L2 norm of the gradient of the mini-batch's mean data loss with respect to the
 *                      weights (before the optimizer; penalties not included)
 * @param weightNorm    ||W|| before the iteration's update
 * @param updateNorm    ||ΔW||, the L2 norm of the update the optimizer applied to the weights this iteration
 * @param actMean       mean of the layer's output over the mini-batch (training mode)
 * @param actStd        standard deviation of the layer's output
 * @param actZeroFrac   fraction of the layer's outputs that are exactly 0
 * @param deadFrac      fraction of the layer's units (channels, neurons) that are 0 for every example and position
 *                      of the mini-batch (ReLU layers)
 * @param saturatedFrac fraction of outputs within 1% of the range of an asymptote (tanh: |a| &gt; 0.98; sigmoid:
 *                      a &lt; 0.01 or a &gt; 0.99)
 */
record LayerSample(WatchedLayer layer, double gradNorm, double weightNorm, double updateNorm, double actMean,
                   double actStd, double actZeroFrac, double deadFrac, double saturatedFrac) {

    /** ||ΔW|| / ||W||, the lecture notes' update-to-weight ratio (want about 1e-3). */
    double updateRatio() {
        return updateNorm / weightNorm;
    }

    /**
     * ||dL/dW|| / ||W||: how fast the loss pushes this layer relative to its size; comparing it between the first and
     * the last layer tells vanishing (early layers barely pushed) from exploding (early layers pushed much harder).
     */
    double relativeGradient() {
        return gradNorm / weightNorm;
    }

    String name() {
        return layer.name();
    }
}
