package dev.cnnworkbench.core.summary;

import static dev.cnnworkbench.core.summary.TestNetworks.net;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.spec.SpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSummaryTest {

    @Test
    void convolutionExampleOfTheNotesHas760ParamsAnd768000MultiplyAdds() {
        // Notes: input 3 x 32 x 32, 10 5x5 filters, stride 1, pad 2 -> 10 x 32 x 32; 10 * (3*5*5 + 1) = 760
        // parameters; 10*32*32 outputs, each a 75-element inner product: 768,000 multiply-adds.
        ModelSummary s = ModelSummary.of(net(3, 32, 32).conv(10, 5, 1, 2).output(10).build(), 10);

        LayerSummary conv = s.layers().get(0);
        assertThat(conv.name()).isEqualTo("conv1");
        assertThat(conv.type()).isEqualTo("conv2d");
        assertThat(conv.outputShape()).containsExactly(10L, 32L, 32L);
        assertThat(conv.shapeText()).isEqualTo("10 x 32 x 32");
        assertThat(conv.outputSize()).isEqualTo(10_240L);
        assertThat(conv.params()).isEqualTo(760L);
        assertThat(conv.macs()).isEqualTo(768_000L);
        assertThat(conv.vertices()).containsExactly("conv1");
    }

    @Test
    void fullyConnectedLayersCostInTimesOutAndSizeTheOutputByClassesWhenAsked() {
        ModelSummary s = ModelSummary.of(net(1, 4, 4).dense(8).output(0).build(), 7);

        LayerSummary dense = s.layer("dense1");
        assertThat(dense.outputShape()).containsExactly(8L);
        assertThat(dense.params()).isEqualTo(16 * 8 + 8);
        assertThat(dense.macs()).isEqualTo(16 * 8);
        LayerSummary out = s.layer("output1");
        assertThat(out.outputShape()).containsExactly(7L);
        assertThat(out.params()).isEqualTo(8 * 7 + 7);
        assertThat(s.totalParams()).isEqualTo(16 * 8 + 8 + 8 * 7 + 7);
        assertThat(s.totalMacs()).isEqualTo(16 * 8 + 8 * 7);
        assertThat(s.storedValues()).isEqualTo(s.totalParams());
        assertThat(s.receptiveField()).as("no spatial layer after the input").isNull();
    }

    @Test
    void poolingHasNoParametersAndNoMultiplyAdds() {
        ModelSummary s = ModelSummary.of(net(3, 8, 8).maxpool(2, 2).output(10).build(), 10);

        LayerSummary pool = s.layer("pool1");
        assertThat(pool.type()).isEqualTo("maxpool");
        assertThat(pool.outputShape()).containsExactly(3L, 4L, 4L);
        assertThat(pool.params()).isZero();
        assertThat(pool.macs()).isZero();
    }

    @Test
    void batchnormCountsGammaAndBetaOnlyWhileDl4jStoresRunningStatisticsToo() {
        ModelSummary s = ModelSummary.of(net(3, 8, 8).conv(16, 3, 1, 1).batchnorm().output(10).build(), 10);

        LayerSummary bn = s.layer("bn1");
        assertThat(bn.params()).isEqualTo(2 * 16);
        assertThat(bn.macs()).isZero();
        assertThat(s.storedValues() - s.totalParams()).as("running mean and variance").isEqualTo(2 * 16);
        assertThat(ModelSummary.COUNTING_NOTE).contains("gamma and beta").contains("running mean and variance");
    }

    @Test
    void stackedStrideOneConvolutionsSeeOnePlusLTimesKMinusOne() {
        // Notes: "With L layers the receptive field size is 1 + L * (K - 1)".
        for (int layers = 1; layers <= 4; layers++) {
            TestNetworks net = net(1, 32, 32);
            for (int l = 0; l < layers; l++) {
                net.conv(4, 3, 1, 1);
            }
            ModelSummary s = ModelSummary.of(net.output(10).build(), 10);
            assertThat(s.receptiveField()).isEqualTo(new ReceptiveField("conv" + layers, 1 + layers * 2L, 1 + layers * 2L));
        }
    }

    @Test
    void downsamplingMultipliesWhatLaterKernelsAdd() {
        // 5x5 conv (rf 5), 2x2/2 pool (rf 6, jump 2), 3x3 conv (rf 6 + 2*2 = 10), dilated 3x3 conv d=2
        // (spread 5: rf 10 + 4*2 = 18).
        ModelSummary s = ModelSummary.of(net(1, 28, 28).conv(4, 5, 1, 0).maxpool(2, 2).conv(4, 3, 1, 1)
                .dilatedConv(4, 3, 2).dense(8).output(10).build(), 10);

        assertThat(s.receptiveField()).isEqualTo(new ReceptiveField("conv3", 18, 18));
    }

    @Test
    void aBlockOfSeveralVerticesIsOneRowNamedAfterItsOutput() {
        ModelSummary s = ModelSummary.of(net(8, 10, 10).block(8).block(8).output(10).build(), 10);

        assertThat(s.layers()).extracting(LayerSummary::type).containsExactly("block", "block", "output");
        LayerSummary first = s.layers().get(0);
        assertThat(first.name()).isEqualTo("blk_add1");
        assertThat(first.vertices()).containsExactly("blk_conv1", "blk_conv2", "blk_add1");
        assertThat(first.outputShape()).containsExactly(8L, 10L, 10L);
        assertThat(first.params()).isEqualTo(2L * 3 * 3 * 8 * 8);
        assertThat(first.macs()).isEqualTo(2L * 10 * 10 * 8 * 3 * 3 * 8);
        assertThat(s.layersOfType("block")).hasSize(2);
        // Two blocks of two 3x3 convolutions: 1 + 4 * 2 = 9, reported for the last block's output.
        assertThat(s.receptiveField()).isEqualTo(new ReceptiveField("blk_add2", 9, 9));
        assertThat(s.input()).isEqualTo(List.of(8, 10, 10));
    }

    @Test
    void layersThatDoNotFitAreASpecErrorNotACrash() {
        assertThatThrownBy(() -> ModelSummary.of(net(1, 4, 4).conv(4, 5, 1, 0).output(10).build(), 10))
                .isInstanceOf(SpecException.class);
    }
}
