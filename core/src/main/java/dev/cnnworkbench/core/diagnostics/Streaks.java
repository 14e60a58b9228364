package dev.cnnworkbench.core.diagnostics;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts, per condition, how many samples in a row it has held, and since which step. Training thread only.
 */
final class Streaks {

    private record Streak(int length, long since) {
    }

    private final Map<String, Streak> streaks = new HashMap<>();

    /**
     * Records whether condition {@code key} held at {@code step}.
     *
     * @return the number of samples in a row it has now held (0 when it did not hold)
     */
    int observe(String key, boolean holds, long step) {
        if (!holds) {
            streaks.remove(key);
            return 0;
        }
        Streak s = streaks.merge(key, new Streak(1, step), (old, one) -> new Streak(old.length() + 1, old.since()));
        return s.length();
    }

    /** The step the current run of {@code key} started at, or -1 when it does not hold. */
    long since(String key) {
        Streak s = streaks.get(key);
        return s == null ? -1 : s.since();
    }
}
