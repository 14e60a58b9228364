package dev.cnnworkbench.core.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.NativeBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Concurrent scoring against one member at a time, on small convolutional networks and synthetic 8x8 images. */
class MemberScoringTest {

    /** A convolution, max pooling and an output layer; {@code softmax} false gives an identity output (scores). */
    private static ComputationGraph convNet(long seed, boolean softmax) {
        NativeBackend.enableLayerHelpers();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Sgd(0.05)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(softmax ? LossFunctions.LossFunction.MCXENT
                        : LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(softmax ? Activation.SOFTMAX : Activation.IDENTITY).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void givesEachMemberTheProbabilitiesItGivesAlone() {
        ImageSet images = SnapshotEnsembleTest.images(301, 5); // an odd count: the slices differ in size
        List<MemberScoring.Member> members = new ArrayList<>();
        List<float[][]> alone = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        for (int m = 0; m < 3; m++) {
            long seed = 10 + m;
            boolean softmax = m != 1; // member 1 outputs scores, turned into probabilities
            ComputationGraph net = convNet(seed, softmax);
            alone.add(SnapshotEnsemble.probabilities(net, images, 64));
            members.add(new MemberScoring.Member("member " + m, () -> {
                reads.incrementAndGet();
                return convNet(seed, softmax);
            }, images));
        }
        NativeBackend.Caps before = NativeBackend.processCaps();
        List<String> started = new CopyOnWriteArrayList<>();

        List<float[][]> together = MemberScoring.probabilities(members, 64, started::add);

        assertThat(started).containsExactlyInAnyOrder("member 0", "member 1", "member 2");
        assertThat(reads).as("each member read once, whatever the number of slices").hasValue(3);
        assertThat(together).hasSize(3);
        for (int m = 0; m < 3; m++) {
            assertThat(together.get(m)).hasDimensions(301, 3);
            for (int i = 0; i < 301; i++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(together.get(m)[i][c]).as("member %d image %d class %d", m, i, c)
                            .isCloseTo(alone.get(m)[i][c], org.assertj.core.api.Assertions.within(1e-5f));
                }
                assertThat(together.get(m)[i][0] + together.get(m)[i][1] + together.get(m)[i][2])
                        .isCloseTo(1f, org.assertj.core.api.Assertions.within(1e-4f));
            }
        }
        assertThat(NativeBackend.processCaps()).as("the process-wide caps are put back").isEqualTo(before);
    }

    @Test
    void aMemberThatCannotBeReadFailsTheScoringWithItsOwnErrorAndPutsTheCapsBack() {
        ImageSet images = SnapshotEnsembleTest.images(40, 6);
        NativeBackend.Caps before = NativeBackend.processCaps();
        List<MemberScoring.Member> members = List.of(
                new MemberScoring.Member("good", () -> convNet(1, true), images),
                new MemberScoring.Member("broken", () -> {
                    throw new IllegalStateException("snapshot-2.zip is not a zip");
                }, images));

        assertThatThrownBy(() -> MemberScoring.probabilities(members, 16, name -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("snapshot-2.zip is not a zip");
        assertThat(NativeBackend.processCaps()).isEqualTo(before);
    }
}
