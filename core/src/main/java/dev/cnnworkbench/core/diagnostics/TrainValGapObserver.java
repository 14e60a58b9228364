package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.engine.MetricSink;
import dev.cnnworkbench.core.engine.TrainingObserver;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Records {@code train_val_gap} at each epoch end: the epoch's training accuracy minus its {@code val_accuracy} (the
 * notes: a big gap means overfitting, no gap may mean too little capacity). The training accuracy is that of the
 * epoch's mini-batches as they were trained on (the forward pass of each fit, before its update, in training mode:
 * dropout and augmentation on), counted over the whole epoch, as the per-iteration {@code train_accuracy} curve is;
 * it costs one small matrix product and two arg-max reductions per iteration, and no extra forward pass. Epochs without a validation accuracy get
 * no gap. Training thread only.
 */
final class TrainValGapObserver implements TrainingObserver {

    private final MetricSink sink;
    private final EpochAccuracy accuracy = new EpochAccuracy();
    private long iterationsDone;

    TrainValGapObserver(MetricSink sink) {
        this.sink = sink;
    }

    @Override
    public void trainingStarted(ComputationGraph net) {
        accuracy.attach(net);
        net.addListeners(accuracy);
    }

    @Override
    public void iterationDone(ComputationGraph net, long iterationsDone, int epoch) {
        this.iterationsDone = iterationsDone;
    }

    @Override
    public void epochDone(ComputationGraph net, int epoch, Map<String, Double> epochMetrics) {
        double train = accuracy.take();
        Double val = epochMetrics.get("val_accuracy");
        if (val != null && !Double.isNaN(train)) {
            sink.record(List.of(new MetricPoint("train_val_gap", iterationsDone - 1, epoch,
                    System.currentTimeMillis(), train - val)));
        }
    }

    /**
     * Counts correct arg-max predictions of the training forward passes since the last {@link #take}. DL4J's
     * forward-pass callback leaves out the output layer (it computes its output inside the loss), so the class scores
     * are recomputed from the output layer's input and its weights as they are during that pass: {@code x W + b},
     * whose arg-max is the softmax's (one small matrix product per iteration). An output layer without weights (a loss
     * layer) scores its input directly.
     */
    static final class EpochAccuracy extends BaseTrainingListener {

        private String inputVertex;
        private Layer output;
        private int[] predicted;
        private long correct;
        private long seen;

        void attach(ComputationGraph net) {
            String out = net.getConfiguration().getNetworkOutputs().get(0);
            inputVertex = net.getConfiguration().getVertexInputs().get(out).get(0);
            output = net.getOutputLayer(0);
        }

        @Override
        public void onForwardPass(Model model, Map<String, INDArray> activations) {
            predicted = null;
            INDArray in = activations.get(inputVertex);
            if (in == null || in.rank() < 2 || in.size(0) == 0) {
                return;
            }
            INDArray x = in.rank() == 2 ? in : in.reshape('c', in.size(0), in.length() / in.size(0));
            INDArray w = output.paramTable().get(DefaultParamInitializer.WEIGHT_KEY);
            INDArray b = output.paramTable().get(DefaultParamInitializer.BIAS_KEY);
            if (w != null && (w.rank() != 2 || w.size(0) != x.size(1))) {
                return;
            }
            INDArray scores = w == null ? x : x.mmul(w);
            if (w != null && b != null) {
                scores.addiRowVector(b);
            }
            predicted = scores.argMax(1).toIntVector();
        }

        @Override
        public void onBackwardPass(Model model) {
            if (predicted == null || !(output instanceof IOutputLayer o) || o.getLabels() == null
                    || o.getLabels().rank() != 2) {
                return;
            }
            int[] truth = o.getLabels().argMax(1).toIntVector();
            for (int i = 0; i < Math.min(truth.length, predicted.length); i++) {
                if (truth[i] == predicted[i]) {
                    correct++;
                }
            }
            seen += truth.length;
            predicted = null;
        }

        /** The accuracy since the last call ({@code NaN} when nothing was trained), and starts counting anew. */
        double take() {
            double a = seen == 0 ? Double.NaN : (double) correct / seen;
            correct = 0;
            seen = 0;
            return a;
        }
    }
}
