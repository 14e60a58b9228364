package dev.cnnworkbench.core.diagnostics;

/**
 * When the diagnostics warn, and why these numbers. Per-layer rules must hold for {@link #CONSECUTIVE} samples in a
 * row (a single noisy mini-batch, or Adam's first steps, does not warn); non-finite values warn at once.
 */
final class Thresholds {

    private Thresholds() {
    }

    /** Consecutive samples a per-layer condition must hold for (at {@code every = 50}: 150 iterations). */
    static final int CONSECUTIVE = 3;

    /**
     * The initial data loss of a softmax cross-entropy classifier with C classes should be about ln(C) (the notes:
     * 2.302 for 10 classes): small random weights give nearly uniform class probabilities. It warns when the first
     * mini-batch's data loss (regularisation term excluded) is off by more than this fraction of ln(C): for 10
     * classes outside [1.15, 3.45].
     */
    static final double INITIAL_LOSS_TOLERANCE = 0.5;

    /** The notes' target update-to-weight ratio ||ΔW|| / ||W||: "want this to be somewhere around 0.001". */
    static final double UPDATE_RATIO_TARGET = 1e-3;

    /**
     * Below this (two orders of magnitude under the target) the layer barely moves: the learning rate is too low. Only
     * checked while the scheduled learning rate is at least {@link #LOW_RATIO_MIN_LR_FRACTION} of the base rate, so
     * warm-up starts and annealed ends do not warn; and only while the layer gets some gradient at all (a layer with
     * a zero gradient is dead or cut off, which {@link #DEAD_FRACTION} reports, not a learning-rate problem).
     */
    static final double UPDATE_RATIO_LOW = 1e-5;

    /** Above this (two orders of magnitude over the target) each step rewrites a tenth of the weights: too high. */
    static final double UPDATE_RATIO_HIGH = 1e-1;

    /**
     * An update as large as the weights themselves (the step replaces the layer) warns at once, without waiting for
     * {@link #CONSECUTIVE} samples: by the next sample such a network is often already dead or diverged.
     */
    static final double UPDATE_RATIO_EXTREME = 1.0;

    /** See {@link #UPDATE_RATIO_LOW}. */
    static final double LOW_RATIO_MIN_LR_FRACTION = 0.1;

    /**
     * Vanishing gradients (the notes: early layers barely change, stay near their initialisation): the first weighted
     * layer's relative gradient ||dL/dW||/||W|| is less than this fraction of the last (output) layer's, and not zero
     * (an exactly zero gradient means dead units block it, reported as such).
     */
    static final double VANISHING_DEPTH_RATIO = 1e-3;

    /**
     * Exploding gradients (the notes: layers near the input change faster than those near the output, typically from
     * too large initial weights): the first layer's relative gradient is more than this many times the last layer's.
     */
    static final double EXPLODING_DEPTH_RATIO = 1e3;

    /**
     * Exploding gradients, absolute: a layer's gradient norm over this. The losses here are means over the mini-batch,
     * so a healthy network's per-layer gradient norms are of order 0.01 to 10.
     */
    static final double EXPLODING_GRAD_NORM = 1e3;

    /** Dead ReLUs: at least this fraction of a ReLU layer's units output 0 for the whole mini-batch. */
    static final double DEAD_FRACTION = 0.5;

    /** Saturation: at least this fraction of a tanh or sigmoid layer's outputs sit within 1% of an asymptote. */
    static final double SATURATED_FRACTION = 0.5;
}
