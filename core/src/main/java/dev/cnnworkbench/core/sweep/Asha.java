package dev.cnnworkbench.core.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * Asynchronous successive halving (ASHA) settings: trials are judged at rungs after {@code minEpochs},
 * {@code minEpochs * eta}, {@code minEpochs * eta^2}, ... epochs, and only about the best {@code 1/eta} of those
 * that reached a rung go on (see {@link RungTable} for the exact rule).
 *
 * @param minEpochs epochs before the first rung, {@code >= 1}
 * @param eta       the reduction factor, {@code >= 2}
 */
public record Asha(int minEpochs, int eta) {

    public Asha {
        if (minEpochs < 1) {
            throw new IllegalArgumentException("min_epochs must be >= 1, got " + minEpochs);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("eta must be >= 2, got " + eta);
        }
    }

    /** The rungs (epochs completed) strictly before {@code epochs}, the trials' budget; at the last epoch a trial ends anyway. */
    public List<Integer> rungs(int epochs) {
        List<Integer> out = new ArrayList<>();
        for (long r = minEpochs; r < epochs; r *= eta) {
            out.add((int) r);
        }
        return out;
    }

    /** Whether a trial with a budget of {@code epochs} is judged after {@code done} epochs. */
    public boolean isRung(int done, int epochs) {
        if (done >= epochs || done < minEpochs) {
            return false;
        }
        long r = minEpochs;
        while (r < done) {
            r *= eta;
        }
        return r == done;
    }
}
