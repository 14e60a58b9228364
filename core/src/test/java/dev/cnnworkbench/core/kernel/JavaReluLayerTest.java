package dev.cnnworkbench.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A network whose plain-ReLU layers are {@link JavaReluLayer}s computes exactly what it computes with DL4J's activation
 * layer: every activation, the loss and every gradient, and the weights after training steps (a residual sum sends the
 * same gradient into two branches); other rectifiers, and arrays that are not dense floats, stay with DL4J's code.
 */
class JavaReluLayerTest {

    private static ComputationGraph network(ActivationReLU relu) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.1))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(6).padding(1, 1)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("relu", new ActivationLayer.Builder().activation(relu).build(), "conv")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(6).padding(1, 1)
                        .activation(Activation.IDENTITY).build(), "relu")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv2", "relu")
                .addLayer("relu2", new ActivationLayer.Builder().activation(relu).build(), "sum")
                .addLayer("pool", new GlobalPoolingLayer.Builder().build(), "relu2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(9, 7, 2))
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 10, 3);
        for (int i = 0; i < 10; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        return new DataSet(Nd4j.randn(DataType.FLOAT, 10, 2, 9, 7), labels);
    }

    @Test
    void computesExactlyWhatDl4jsActivationLayerComputes() {
        ComputationGraph reference = network(new ActivationReLU());
        ComputationGraph ours = Kernels.install(network(new ActivationReLU()));
        ours.setParams(reference.params().dup());
        assertThat(ours.getLayer("relu")).isInstanceOf(JavaReluLayer.class);
        assertThat(ours.getLayers()).filteredOn(l -> l instanceof JavaReluLayer).hasSize(2);
        assertThat(reference.getLayer("relu")).isNotInstanceOf(JavaReluLayer.class);

        DataSet data = batch(1);
        Map<String, INDArray> expected = reference.feedForward(data.getFeatures(), true);
        Map<String, INDArray> actual = ours.feedForward(data.getFeatures(), true);
        for (String layer : new String[] {"relu", "sum", "relu2", "out"}) {
            assertThat(actual.get(layer)).as(layer).isEqualTo(expected.get(layer));
        }
        assertThat(ours.outputSingle(data.getFeatures())).isEqualTo(reference.outputSingle(data.getFeatures()));

        for (ComputationGraph net : new ComputationGraph[] {reference, ours}) {
            net.setInputs(data.getFeatures());
            net.setLabels(data.getLabels());
            net.computeGradientAndScore();
        }
        assertThat(ours.score()).isEqualTo(reference.score());
        for (String key : reference.gradient().gradientForVariable().keySet()) {
            assertThat(ours.gradient().getGradientFor(key)).as("gradient of " + key)
                    .isEqualTo(reference.gradient().getGradientFor(key));
        }
        for (int step = 0; step < 3; step++) {
            DataSet next = batch(10 + step);
            reference.fit(next);
            ours.fit(next);
        }
        assertThat(ours.params()).as("after 3 steps").isEqualTo(reference.params());

        Kernels.dl4jOnly(ours);
        assertThat(ours.getLayers()).noneMatch(l -> l instanceof JavaReluLayer);
        assertThat(ours.getLayer("relu2").getClass()).isEqualTo(org.deeplearning4j.nn.layers.ActivationLayer.class);
    }

    @Test
    void otherRectifiersStayWithDl4j() {
        ComputationGraph capped = Kernels.install(network(new ActivationReLU(6.0, null, null)));
        ComputationGraph leaky = Kernels.install(network(new ActivationReLU(null, null, 0.1)));
        assertThat(capped.getLayers()).noneMatch(l -> l instanceof JavaReluLayer);
        assertThat(leaky.getLayers()).noneMatch(l -> l instanceof JavaReluLayer);
    }

    @Test
    void arraysThatAreNotDenseFloatsGoToDl4jsCode() {
        ComputationGraph reference = network(new ActivationReLU());
        ComputationGraph ours = Kernels.install(network(new ActivationReLU()));
        var workspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 6, 5, 3);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 4, 6, 5, 3);
        INDArray[][] cases = { // input and its gradient: column-major, double, a strided view
            {x.dup('f'), dy.dup('f')},
            {x.castTo(DataType.DOUBLE), dy.castTo(DataType.DOUBLE)},
            {x.permute(0, 1, 3, 2), dy.permute(0, 1, 3, 2)},
        };
        for (INDArray[] c : cases) {
            var theirs = reference.getLayer("relu");
            var mine = ours.getLayer("relu");
            theirs.setInput(c[0], workspaces);
            mine.setInput(c[0], workspaces);
            assertThat(mine.activate(true, workspaces)).isEqualTo(theirs.activate(true, workspaces));
            assertThat(mine.backpropGradient(c[1], workspaces).getSecond())
                    .isEqualTo(theirs.backpropGradient(c[1], workspaces).getSecond());
        }
        assertThat(x).as("the input is left as it was").isEqualTo(cases[0][0]);
    }

    @Test
    void theMaskSelectsPositiveValuesOnly() {
        float[] positive = {Float.MIN_VALUE, 1e-30f, 0.5f, 3e38f, Float.POSITIVE_INFINITY};
        float[] not = {0f, -0f, -Float.MIN_VALUE, -2f, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFFC00000)};
        for (float x : positive) {
            assertThat(ReluKernel.positiveMask(x)).as("mask of " + x).isEqualTo(-1);
        }
        for (float x : not) {
            assertThat(ReluKernel.positiveMask(x)).as("mask of " + x).isZero();
        }
    }
}
