package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.data.ImageSet;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Scores a network on a labelled set in inference mode (dropout off, batch-norm running statistics).
 * Uses the calling thread; the network must not be trained meanwhile.
 */
public final class Evaluator {

    private static final int BATCH = 500;

    private Evaluator() {
    }

    public static Evaluation evaluate(ComputationGraph net, ImageSet set) {
        boolean crossEntropy = isSoftmaxCrossEntropy(net);
        int[] predictions = new int[set.size()];
        double lossSum = 0;
        int correct = 0;
        ImageBatch batch = null;
        for (int from = 0; from < set.size(); from += BATCH) {
            int to = Math.min(set.size(), from + BATCH);
            batch = Batches.gather(set, null, from, to, batch); // one buffer, refilled: no garbage per batch
            DataSet ds = Batches.toDataSet(batch);
            float[] probs = flat(net.outputSingle(false, ds.getFeatures()));
            int classes = set.classes();
            for (int i = 0; i < to - from; i++) {
                int best = argMax(probs, i * classes, classes);
                predictions[from + i] = best;
                int label = set.labels()[from + i];
                if (best == label) {
                    correct++;
                }
                if (crossEntropy) {
                    lossSum -= Math.log(Math.max(probs[i * classes + label], 1e-12f));
                }
            }
            if (!crossEntropy) {
                lossSum += (net.score(ds, false) - net.calcRegularizationScore(true)) * (to - from);
            }
        }
        return new Evaluation(lossSum / set.size(), (double) correct / set.size(), predictions);
    }

    static int argMax(float[] values, int offset, int length) {
        int best = 0;
        for (int c = 1; c < length; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    /** The values of {@code array} in row-major order. */
    static float[] flat(INDArray array) {
        return array.dup('c').data().asFloat();
    }

    /** Whether the network's (first) output layer is softmax with cross-entropy, whose loss at chance is ln(C). */
    public static boolean isSoftmaxCrossEntropy(ComputationGraph net) {
        String out = net.getConfiguration().getNetworkOutputs().get(0);
        if (net.getConfiguration().getVertices().get(out) instanceof LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof BaseOutputLayer ol) {
            return ol.getLossFn() instanceof LossMCXENT && ol.getActivationFn() instanceof ActivationSoftmax;
        }
        return false;
    }
}
