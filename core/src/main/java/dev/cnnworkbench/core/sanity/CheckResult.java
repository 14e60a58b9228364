package dev.cnnworkbench.core.sanity;

import java.util.Objects;

/**
 * The outcome of one sanity check.
 *
 * @param name     the check's stable name ({@code initial_loss}, ...), as stored
 * @param verdict  pass, fail, or skip (the check does not apply to this spec)
 * @param measured the measured value (a loss, an accuracy, a relative error, a learning rate); {@code NaN} if none
 * @param expected what a healthy spec gives, for people ({@code "2.303 ± 0.230 (ln 10)"})
 * @param detail   how it was measured and what the numbers mean, one or more lines
 */
public record CheckResult(String name, Verdict verdict, double measured, String expected, String detail) {

    /** A check's outcome. */
    public enum Verdict {
        PASS, FAIL, SKIP
    }

    public CheckResult {
        Objects.requireNonNull(name);
        Objects.requireNonNull(verdict);
        expected = Objects.requireNonNullElse(expected, "");
        detail = Objects.requireNonNullElse(detail, "");
    }

    static CheckResult of(String name, boolean passed, double measured, String expected, String detail) {
        return new CheckResult(name, passed ? Verdict.PASS : Verdict.FAIL, measured, expected, detail);
    }

    static CheckResult skipped(String name, String why) {
        return new CheckResult(name, Verdict.SKIP, Double.NaN, "n/a", why);
    }

    /** Whether this outcome lets the whole check run pass (a skipped check does). */
    public boolean passed() {
        return verdict != Verdict.FAIL;
    }
}
