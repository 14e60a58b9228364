package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.engine.MetricSink;
import dev.cnnworkbench.core.engine.TrainAccuracyListener;
import dev.cnnworkbench.core.engine.TrainingObserver;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Records {@code train_val_gap} at each epoch end: the epoch's training accuracy minus its {@code val_accuracy} (the
 * notes: a big gap means overfitting, no gap may mean too little capacity). The training accuracy is that of the
 * epoch's mini-batches as they were trained on (the forward pass of each fit, before its update, in training mode:
 * dropout and augmentation on), counted over the whole epoch by the same {@link TrainAccuracyListener} that gives the
 * per-iteration {@code train_accuracy} curve, so it costs no extra forward pass. Epochs without a validation accuracy
 * get no gap. Training thread only.
 */
final class TrainValGapObserver implements TrainingObserver {

    private final MetricSink sink;
    private TrainAccuracyListener accuracy;
    private long iterationsDone;

    TrainValGapObserver(MetricSink sink) {
        this.sink = sink;
    }

    @Override
    public void trainingStarted(ComputationGraph net) {
        accuracy = TrainAccuracyListener.of(net);
    }

    @Override
    public void iterationDone(ComputationGraph net, long iterationsDone, int epoch) {
        this.iterationsDone = iterationsDone;
    }

    @Override
    public void epochDone(ComputationGraph net, int epoch, Map<String, Double> epochMetrics) {
        double train = accuracy.takeEpochAccuracy();
        Double val = epochMetrics.get("val_accuracy");
        if (val != null && !Double.isNaN(train)) {
            sink.record(List.of(new MetricPoint("train_val_gap", iterationsDone - 1, epoch,
                    System.currentTimeMillis(), train - val)));
        }
    }
}
