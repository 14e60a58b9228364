package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.engine.TrainingContext;
import dev.cnnworkbench.core.engine.TrainingObserver;
import dev.cnnworkbench.core.spec.DiagnosticsSpec;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The diagnostics observers of one run, as its {@code diagnostics} spec section asks:
 * <ul>
 * <li>{@code every > 0}: per-layer statistics every {@code every} iterations and the per-layer warnings
 * ({@link LayerStatsObserver}, {@link HealthMonitor});</li>
 * <li>{@code histograms} (and an artifact folder): weight and activation histograms at each epoch end
 * ({@link HistogramObserver});</li>
 * <li>always: the initial-loss check ({@link InitialLossCheck}); {@code train_val_gap} when there is a validation set
 * ({@link TrainValGapObserver}); with an artifact folder, the confusion matrices, misclassified images and
 * first-layer filters at the end ({@link EndOfRunReport}). These cost once per run or per epoch (the gap reads the
 * training accuracy the trainer measures anyway);</li>
 * <li>always: the process's CPU, memory and GC time every few seconds ({@link SystemMetrics}).</li>
 * </ul>
 * Warnings are shared by all of them, so each kind is sent at most once per layer per run. Stateless.
 */
public final class Diagnostics {

    private Diagnostics() {
    }

    public static List<TrainingObserver> forRun(TrainingContext context) {
        DiagnosticsSpec spec = context.experiment().spec().diagnostics();
        Warnings warnings = new Warnings(context.sink());
        List<TrainingObserver> out = new ArrayList<>();
        out.add(new InitialLossCheck(warnings, context.split().train().classes()));
        out.add(new SystemMetrics(context.sink()));
        if (spec.every() > 0) {
            ISchedule schedule = NetworkFactory.schedule(context.experiment(), context.itersPerEpoch());
            HealthMonitor health = new HealthMonitor(warnings, (iteration, epoch) -> schedule.valueAt(
                    (int) iteration, epoch), context.experiment().baseLearningRate());
            out.add(new LayerStatsObserver(spec.every(), context.sink(), health));
        }
        if (context.split().validation().size() > 0) {
            out.add(new TrainValGapObserver(context.sink()));
        }
        if (context.artifactDir() != null) {
            if (spec.histograms()) {
                out.add(new HistogramObserver(context.sink(), context.artifactDir(), context.split().validation(),
                        context.split().train()));
            }
            out.add(new EndOfRunReport(context, warnings));
        }
        return out;
    }
}
