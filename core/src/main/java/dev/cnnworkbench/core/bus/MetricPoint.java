package dev.cnnworkbench.core.bus;

/**
 * One value of one metric.
 *
 * @param name  the metric ({@code train_loss}, {@code val_accuracy}, ...)
 * @param step  the iteration (mini-batch count since the start of training) it was measured at
 * @param epoch the epoch it belongs to (0-based)
 * @param time  wall-clock epoch milliseconds
 * @param value the value; NaN and infinities are legal and kept
 */
public record MetricPoint(String name, long step, int epoch, long time, double value) {

    /**
     * Whether metric {@code name} measures the machine or the clock (throughput, the wait for data, the process's
     * {@code system/*} samples) rather than the training: two runs of one seed differ in it, and only in it.
     */
    public static boolean measuresTheMachine(String name) {
        return name.equals("examples_per_second") || name.equals("data_wait_fraction") || name.startsWith("system/");
    }
}
