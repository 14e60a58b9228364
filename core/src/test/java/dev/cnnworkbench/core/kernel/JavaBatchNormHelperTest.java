package dev.cnnworkbench.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cnnworkbench.core.engine.NativeBackend;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A network whose batch-norm layers compute with {@link JavaBatchNormHelper} gives what the same network gives with the
 * kernels DL4J picks (oneDNN's) and with DL4J's own code: activations in training and inference, every gradient, and
 * after a few steps of training the weights and the running mean and variance; convolutional and dense batch norm.
 */
class JavaBatchNormHelperTest {

    @BeforeAll
    static void helpers() {
        NativeBackend.enableLayerHelpers();
    }

    private static ComputationGraph network(int channels) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.1)) // not Adam: it would blow the noise-level gradient of a bias before batch norm up to full steps
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(channels).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
                .addLayer("dense", new DenseLayer.Builder().nOut(12).activation(Activation.IDENTITY).build(), "relu")
                .addLayer("bn2", new BatchNormalization.Builder().build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build(), "bn2")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(34, 30, 3))
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static DataSet batch(long seed, int examples) {
        Nd4j.getRandom().setSeed(seed);
        INDArray features = Nd4j.randn(DataType.FLOAT, examples, 3, 34, 30).muli(3).addi(1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, examples, 4);
        for (int i = 0; i < examples; i++) {
            labels.putScalar(i, i % 4, 1);
        }
        return new DataSet(features, labels);
    }

    @Test
    void computesWhatDl4jsKernelsAndItsOwnCodeCompute() {
        for (boolean dl4jHelpers : new boolean[] {true, false}) {
            ComputationGraph reference = network(8);
            if (!dl4jHelpers) {
                withoutHelpers(reference);
            }
            ComputationGraph ours = Kernels.install(network(8));
            ours.setParams(reference.params().dup());
            assertInstanceOf(JavaBatchNormHelper.class, ((org.deeplearning4j.nn.layers.normalization.BatchNormalization)
                    ours.getLayer("bn")).getHelper());
            String which = dl4jHelpers ? "against oneDNN" : "against DL4J's own code";

            DataSet data = batch(1, 16);
            close(reference.feedForward(data.getFeatures(), true).get("bn"),
                    ours.feedForward(data.getFeatures(), true).get("bn"), 1e-4, which + ": training activations");
            close(reference.outputSingle(data.getFeatures()), ours.outputSingle(data.getFeatures()), 1e-4,
                    which + ": inference output");

            reference.setInputs(data.getFeatures());
            reference.setLabels(data.getLabels());
            reference.computeGradientAndScore();
            ours.setInputs(data.getFeatures());
            ours.setLabels(data.getLabels());
            ours.computeGradientAndScore();
            assertEquals(reference.score(), ours.score(), 1e-4, which + ": loss");
            for (String key : reference.gradient().gradientForVariable().keySet()) {
                close(reference.gradient().getGradientFor(key), ours.gradient().getGradientFor(key), 2e-3,
                        which + ": gradient of " + key);
            }

            for (int step = 0; step < 3; step++) {
                DataSet next = batch(10 + step, 16);
                reference.fit(next);
                ours.fit(next);
            }
            for (String key : reference.paramTable().keySet()) {
                close(reference.getParam(key), ours.getParam(key), 2e-3, which + ": after 3 steps, " + key);
            }
        }
    }

    /**
     * After an inference pass (a frozen layer that passes gradients on) the output depends on x only through
     * {@code gamma * (x - mean) / std + beta} with the running mean and std constant, so the input's gradient is
     * {@code gamma / std * dy} and the running estimates do not move. (DL4J's own code applies the training formula
     * there; the scale and shift gradients are the same in both.)
     */
    @Test
    void aBackwardPassAfterAnInferencePassTreatsTheRunningStatisticsAsConstants() {
        ComputationGraph reference = network(3);
        withoutHelpers(reference);
        ComputationGraph ours = Kernels.install(network(3));
        float[] std = {2, 0.5f, 1};
        for (ComputationGraph net : List.of(reference, ours)) {
            net.getLayer("bn").setParam("mean", Nd4j.createFromArray(0.5f, -1f, 2f).reshape(1, 3));
            net.getLayer("bn").setParam("log10stdev", // DL4J keeps log10 of the standard deviation
                    Nd4j.createFromArray((float) Math.log10(std[0]), (float) Math.log10(std[1]), 0f).reshape(1, 3));
            net.getLayer("bn").setParam("gamma", Nd4j.createFromArray(1.5f, -0.5f, 1f).reshape(1, 3));
            net.initGradientsView();
        }
        INDArray x = Nd4j.randn(DataType.FLOAT, 5, 3, 6, 4);
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, 5, 3, 6, 4);
        var workspaces = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        List<INDArray> results = new ArrayList<>();
        for (ComputationGraph net : List.of(reference, ours)) {
            Layer bn = net.getLayer("bn");
            bn.setInput(x.dup(), workspaces);
            results.add(bn.activate(false, workspaces).dup());
            var gradient = bn.backpropGradient(epsilon.dup(), workspaces);
            results.add(gradient.getFirst().getGradientFor("gamma").dup());
            results.add(gradient.getFirst().getGradientFor("beta").dup());
            if (net == ours) {
                results.add(gradient.getSecond().dup());
                results.add(gradient.getFirst().getGradientFor("mean").dup());
            }
        }
        close(results.get(0), results.get(3), 1e-4, "output");
        close(results.get(1), results.get(4), 1e-4, "gamma gradient");
        close(results.get(2), results.get(5), 1e-4, "beta gradient");
        INDArray expected = epsilon.dup();
        float[] gamma = {1.5f, -0.5f, 1f};
        for (int c = 0; c < 3; c++) {
            expected.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .muli(gamma[c] / Math.sqrt(std[c] * std[c] + 1e-5));
        }
        close(expected, results.get(6), 1e-4, "input gradient");
        close(Nd4j.zeros(DataType.FLOAT, 1, 3), results.get(7), 0, "running-mean update");
    }

    @Test
    void installingTwiceWrapsOnceAndDl4jsChoiceComesBack() {
        ComputationGraph net = network(2);
        var layer = (org.deeplearning4j.nn.layers.normalization.BatchNormalization) net.getLayer("bn");
        Object chosen = layer.getHelper();
        Kernels.install(Kernels.install(net));
        JavaBatchNormHelper installed = assertInstanceOf(JavaBatchNormHelper.class, layer.getHelper());
        assertEquals(chosen, installed.fallback());
        assertNotNull(net.outputSingle(batch(3, 2).getFeatures()));
        Kernels.dl4jOnly(net);
        assertEquals(chosen, layer.getHelper());
    }

    private static void withoutHelpers(ComputationGraph net) {
        for (Layer layer : net.getLayers()) {
            if (layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization bn) {
                try {
                    var field = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class
                            .getDeclaredField("helper");
                    field.setAccessible(true);
                    field.set(bn, null);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static void close(INDArray expected, INDArray actual, double tolerance, String what) {
        float[] e = expected.dup().data().asFloat();
        float[] a = actual.dup().data().asFloat();
        assertEquals(e.length, a.length, what + ": length");
        double scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        List<String> off = new ArrayList<>();
        for (int i = 0; i < e.length; i++) {
            if (Math.abs(e[i] - a[i]) > tolerance * Math.max(1, scale)) {
                off.add(i + ": " + e[i] + " vs " + a[i]);
            }
        }
        assertEquals(List.of(), off.subList(0, Math.min(5, off.size())), what + " (of " + off.size() + " off)");
    }
}
