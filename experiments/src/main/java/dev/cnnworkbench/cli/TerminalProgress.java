package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.engine.TrainingProgress;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch on standard error: batches done, examples/s, loss and ETA. */
final class TerminalProgress implements TrainingProgress {

    private ProgressBar bar;
    private int epochs;

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        this.epochs = epochs;
        bar = new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(120)
                .build();
    }

    @Override
    public void batchDone(int batch, double loss, double examplesPerSecond) {
        bar.stepTo(batch);
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f  %.0f ex/s", loss, examplesPerSecond));
    }

    @Override
    public void epochEnded(int epoch, Map<String, Double> metrics) {
        bar.close();
        System.err.println(String.format(Locale.ROOT, "epoch %d/%d: ", epoch + 1, epochs) + format(metrics));
    }

    @Override
    public void phase(String description) {
        System.err.println(description + " ...");
    }

    static String format(Map<String, Double> metrics) {
        return metrics.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.4f", e.getValue()))
                .collect(Collectors.joining("  "));
    }
}
