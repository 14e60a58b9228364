package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.engine.StopRule;
import java.util.Locale;

/**
 * The notes' tip for detecting explosions in the solver: "if the cost is ever &gt; 3 * original cost, break out
 * early". The original cost is the training loss of the first iteration; the run stops as soon as a later loss
 * exceeds {@code factor} times it, or any loss is NaN or infinite. One instance per run (it remembers the first
 * loss); used by the training thread only.
 */
public final class ExplosionRule implements StopRule {

    private final double factor;
    private double initial = Double.NaN;

    /** @param factor how many times the initial loss is too many, {@code > 1} (the notes use 3) */
    public ExplosionRule(double factor) {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("the explosion factor must be > 1, got " + factor);
        }
        this.factor = factor;
    }

    @Override
    public String afterIteration(int epoch, long iteration, double loss) {
        if (!Double.isFinite(loss)) {
            return String.format(Locale.ROOT, "loss is %s at iteration %d (epoch %d)",
                    Double.isNaN(loss) ? "NaN" : "infinite", iteration, epoch);
        }
        if (Double.isNaN(initial)) {
            initial = loss;
            return null;
        }
        if (loss > factor * initial) {
            return String.format(Locale.ROOT, "loss exploded: %.4g > %s x initial loss %.4g at iteration %d (epoch %d)",
                    loss, factor == Math.rint(factor) ? String.valueOf((long) factor) : String.valueOf(factor),
                    initial, iteration, epoch);
        }
        return null;
    }
}
