package dev.cnnworkbench.core.diagnostics;

import java.util.List;
import java.util.Locale;

/**
 * Checks each sampled iteration's layer statistics against the rules of {@link Thresholds} and warns through
 * {@link Warnings}: update ratio far from 1e-3, vanishing or exploding gradients, saturated tanh/sigmoid layers, dead
 * ReLU layers. Training thread only.
 */
final class HealthMonitor {

    /** The scheduled learning rate at an iteration, for the low-ratio rule and for messages. */
    @FunctionalInterface
    interface LearningRate {
        double at(long iteration, int epoch);
    }

    private final Warnings warnings;
    private final Streaks streaks = new Streaks();
    private final LearningRate lr;
    private final double baseLr;

    /** @param baseLr the optimizer's base learning rate; not positive (an optimizer without one) = always checked */
    HealthMonitor(Warnings warnings, LearningRate lr, double baseLr) {
        this.warnings = warnings;
        this.lr = lr;
        this.baseLr = baseLr;
    }

    /** Checks the samples taken at iteration {@code step} (0-based) of epoch {@code epoch}. */
    void check(long step, int epoch, List<LayerSample> samples) {
        double rate = lr.at(step, epoch);
        boolean lowRatioChecked = !(baseLr > 0) || rate >= Thresholds.LOW_RATIO_MIN_LR_FRACTION * baseLr;
        for (LayerSample s : samples) {
            if (s.layer().hasWeights()) {
                gradients(step, s);
                updateRatio(step, s, rate, lowRatioChecked);
            }
            units(step, s);
        }
        depth(step, samples);
    }

    private void gradients(long step, LayerSample s) {
        if (!Double.isFinite(s.gradNorm()) || !Double.isFinite(s.updateNorm()) || !Double.isFinite(s.weightNorm())) {
            warnings.warn(Warnings.EXPLODING_GRADIENT, s.name(), step, String.format(Locale.ROOT,
                    "layer %s: non-finite values at iteration %d (gradient norm %s, update norm %s, weight norm %s):"
                            + " the gradients exploded, usually from a too-high learning rate or too large initial"
                            + " weights. Lower the learning rate 10x, use xavier or he initialisation, add batch norm.",
                    s.name(), step, num(s.gradNorm()), num(s.updateNorm()), num(s.weightNorm())));
            return;
        }
        String key = Warnings.EXPLODING_GRADIENT + "/norm/" + s.name();
        if (streaks.observe(key, s.gradNorm() > Thresholds.EXPLODING_GRAD_NORM, step) >= Thresholds.CONSECUTIVE) {
            warnings.warn(Warnings.EXPLODING_GRADIENT, s.name(), step, String.format(Locale.ROOT,
                    "layer %s: gradient norm ||dL/dW|| = %s for %d samples in a row (iterations %d to %d); expected of"
                            + " order 0.01 to 10 (warns above %s): the gradients explode. Lower the learning rate,"
                            + " use xavier or he initialisation instead of large initial weights, add batch norm.",
                    s.name(), num(s.gradNorm()), Thresholds.CONSECUTIVE, streaks.since(key), step,
                    num(Thresholds.EXPLODING_GRAD_NORM)));
        }
    }

    private void updateRatio(long step, LayerSample s, double rate, boolean lowChecked) {
        double ratio = s.updateRatio();
        if (!Double.isFinite(ratio)) {
            return;
        }
        String high = Warnings.UPDATE_RATIO + "/high/" + s.name();
        String low = Warnings.UPDATE_RATIO + "/low/" + s.name();
        int highRun = streaks.observe(high, ratio > Thresholds.UPDATE_RATIO_HIGH, step);
        if (highRun >= Thresholds.CONSECUTIVE || ratio >= Thresholds.UPDATE_RATIO_EXTREME) {
            warnings.warn(Warnings.UPDATE_RATIO, s.name(), step, String.format(Locale.ROOT,
                    "layer %s: update/weight ratio ||dW||/||W|| = %s %s; expected about %s (warns above %s for %d"
                            + " samples in a row, at once from %s). The learning rate (%s now) is too high: lower it"
                            + " 3 to 10x, or add a warm-up.",
                    s.name(), num(ratio), highRun >= Thresholds.CONSECUTIVE
                            ? String.format(Locale.ROOT, "for %d samples in a row (iterations %d to %d)", highRun,
                            streaks.since(high), step)
                            : "at iteration " + step,
                    num(Thresholds.UPDATE_RATIO_TARGET), num(Thresholds.UPDATE_RATIO_HIGH), Thresholds.CONSECUTIVE,
                    num(Thresholds.UPDATE_RATIO_EXTREME), num(rate)));
        }
        boolean tooLow = lowChecked && s.gradNorm() > 0 && ratio < Thresholds.UPDATE_RATIO_LOW;
        if (streaks.observe(low, tooLow, step) >= Thresholds.CONSECUTIVE) {
            warnings.warn(Warnings.UPDATE_RATIO, s.name(), step, String.format(Locale.ROOT,
                    "layer %s: update/weight ratio ||dW||/||W|| = %s for %d samples in a row (iterations %d to %d);"
                            + " expected about %s (warns below %s): the layer barely moves. Either the learning rate"
                            + " (%s now) is too low (raise it 10x at a time until the loss goes down), or too little"
                            + " gradient reaches the layer (relative gradient ||dL/dW||/||W|| = %s; see any"
                            + " vanishing_gradient warning).",
                    s.name(), num(ratio), Thresholds.CONSECUTIVE, streaks.since(low), step,
                    num(Thresholds.UPDATE_RATIO_TARGET), num(Thresholds.UPDATE_RATIO_LOW), num(rate),
                    num(s.relativeGradient())));
        }
    }

    private void units(long step, LayerSample s) {
        String dead = Warnings.DEAD_RELU + "/" + s.name();
        if (streaks.observe(dead, s.deadFrac() >= Thresholds.DEAD_FRACTION, step) >= Thresholds.CONSECUTIVE) {
            warnings.warn(Warnings.DEAD_RELU, s.name(), step, String.format(Locale.ROOT,
                    "layer %s: %.0f%% of its ReLU units output 0 for every example of the mini-batch, %d samples in a"
                            + " row (iterations %d to %d); expected well under %.0f%%. Dead ReLUs get no gradient and"
                            + " never recover: lower the learning rate, use he initialisation with zero biases, or"
                            + " leaky ReLU.",
                    s.name(), 100 * s.deadFrac(), Thresholds.CONSECUTIVE, streaks.since(dead), step,
                    100 * Thresholds.DEAD_FRACTION));
        }
        String sat = Warnings.SATURATED_ACTIVATION + "/" + s.name();
        if (streaks.observe(sat, s.saturatedFrac() >= Thresholds.SATURATED_FRACTION, step)
                >= Thresholds.CONSECUTIVE) {
            boolean tanh = s.layer().activation() == ActivationKind.TANH;
            warnings.warn(Warnings.SATURATED_ACTIVATION, s.name(), step, String.format(Locale.ROOT,
                    "layer %s: %.0f%% of its %s outputs are saturated (within 1%% of %s, local gradient near 0), %d"
                            + " samples in a row (iterations %d to %d); expected well under %.0f%%. The"
                            + " pre-activations are too large: use xavier initialisation, normalise the inputs, add"
                            + " batch norm, or use ReLU.",
                    s.name(), 100 * s.saturatedFrac(), tanh ? "tanh" : "sigmoid", tanh ? "-1 or 1" : "0 or 1",
                    Thresholds.CONSECUTIVE, streaks.since(sat), step, 100 * Thresholds.SATURATED_FRACTION));
        }
    }

    /** Compares the relative gradient of the first weighted layer with that of the last (the output layer). */
    private void depth(long step, List<LayerSample> samples) {
        List<LayerSample> weighted = samples.stream().filter(s -> s.layer().hasWeights()).toList();
        if (weighted.size() < 2) {
            return;
        }
        LayerSample first = weighted.get(0);
        LayerSample last = weighted.get(weighted.size() - 1);
        double q = first.relativeGradient() / last.relativeGradient();
        boolean valid = first.relativeGradient() > 0 && Double.isFinite(first.relativeGradient())
                && last.relativeGradient() > 0
                && Double.isFinite(last.relativeGradient());
        String vanishing = Warnings.VANISHING_GRADIENT + "/" + first.name();
        if (streaks.observe(vanishing, valid && q < Thresholds.VANISHING_DEPTH_RATIO, step) >= Thresholds.CONSECUTIVE) {
            warnings.warn(Warnings.VANISHING_GRADIENT, first.name(), step, String.format(Locale.ROOT,
                    "gradients vanish toward the input: the relative gradient ||dL/dW||/||W|| of the first layer %s"
                            + " is %s times that of the last layer %s, %d samples in a row (iterations %d to %d);"
                            + " expected comparable (warns below %s): the early layers barely train. Use ReLU instead"
                            + " of sigmoid or tanh, xavier or he initialisation, batch norm, or residual connections.",
                    first.name(), num(q), last.name(), Thresholds.CONSECUTIVE, streaks.since(vanishing), step,
                    num(Thresholds.VANISHING_DEPTH_RATIO)));
        }
        String exploding = Warnings.EXPLODING_GRADIENT + "/depth/" + first.name();
        if (streaks.observe(exploding, valid && q > Thresholds.EXPLODING_DEPTH_RATIO, step) >= Thresholds.CONSECUTIVE) {
            warnings.warn(Warnings.EXPLODING_GRADIENT, first.name(), step, String.format(Locale.ROOT,
                    "gradients explode toward the input: the relative gradient ||dL/dW||/||W|| of the first layer %s"
                            + " is %s times that of the last layer %s, %d samples in a row (iterations %d to %d);"
                            + " expected comparable (warns above %s). The initial weights are probably too large: use"
                            + " xavier or he initialisation, batch norm, or a lower learning rate.",
                    first.name(), num(q), last.name(), Thresholds.CONSECUTIVE, streaks.since(exploding), step,
                    num(Thresholds.EXPLODING_DEPTH_RATIO)));
        }
    }

    /** A number for people: 3 significant digits, scientific when small or large. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return a != 0 && (a < 1e-2 || a >= 1e4) ? String.format(Locale.ROOT, "%.2e", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }
}
