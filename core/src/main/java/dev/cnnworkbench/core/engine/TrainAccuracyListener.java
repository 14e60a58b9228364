package dev.cnnworkbench.core.engine;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training accuracy of the mini-batches as they are trained on: the arg-max of the class scores of each fit's own
 * forward pass (training mode: dropout on; the parameters before that fit's update) against the batch's labels, with
 * no second forward pass. DL4J's forward-pass callback leaves the output layer out (it computes its output inside the
 * loss), so the class scores are recomputed from the output layer's input and its parameters as they are during that
 * pass: {@code x W + b}, whose arg-max is the softmax's (one small matrix product and two arg-max reductions per
 * iteration). An output layer without weights (a loss layer) scores its input directly.
 *
 * <p>One per network ({@link #of}): the trainer reads {@link #batchAccuracy} after every fit (the {@code
 * train_accuracy} curve), the train/validation gap takes {@link #takeEpochAccuracy} at each epoch end. Training
 * thread only.
 */
public final class TrainAccuracyListener extends BaseTrainingListener {

    private final String inputVertex;
    private final Layer output;
    private int[] predicted;
    private double batch = Double.NaN;
    private long correct;
    private long seen;

    TrainAccuracyListener(ComputationGraph net) {
        String out = net.getConfiguration().getNetworkOutputs().get(0);
        this.inputVertex = net.getConfiguration().getVertexInputs().get(out).get(0);
        this.output = net.getOutputLayer(0);
    }

    /** The listener attached to {@code net}; attaches one when there is none yet. */
    public static TrainAccuracyListener of(ComputationGraph net) {
        for (TrainingListener l : net.getListeners() == null ? java.util.List.<TrainingListener>of() : net.getListeners()) {
            if (l instanceof TrainAccuracyListener mine) {
                return mine;
            }
        }
        TrainAccuracyListener added = new TrainAccuracyListener(net);
        net.addListeners(added);
        return added;
    }

    /** The accuracy of the last fitted batch; {@code NaN} before the first, or when the output cannot be scored. */
    public double batchAccuracy() {
        return batch;
    }

    /** The accuracy over the batches fitted since the last call ({@code NaN} when none), and starts counting anew. */
    public double takeEpochAccuracy() {
        double a = seen == 0 ? Double.NaN : (double) correct / seen;
        correct = 0;
        seen = 0;
        return a;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        predicted = null;
        batch = Double.NaN;
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
        int n = Math.min(truth.length, predicted.length);
        int right = 0;
        for (int i = 0; i < n; i++) {
            if (truth[i] == predicted[i]) {
                right++;
            }
        }
        predicted = null;
        if (n > 0) {
            batch = (double) right / n;
            correct += right;
            seen += n;
        }
    }
}
