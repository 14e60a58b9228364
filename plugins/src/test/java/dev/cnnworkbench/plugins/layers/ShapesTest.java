package dev.cnnworkbench.plugins.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.engine.PluginGraphs;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What flatten, global pooling and residual blocks produce, and what they cost in parameters. */
class ShapesTest {

    private static final INDArray X = Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 6);

    private static Map<String, INDArray> forward(PluginGraphs graph) {
        return graph.build().feedForward(X, false);
    }

    @Test
    void flattenStretchesAVolumeInChannelRowColumnOrder() {
        Map<String, INDArray> acts = forward(PluginGraphs.of()
                .layer(new Conv2dLayer(), Map.of("filters", 3, "kernel", 3))
                .layer(new FlattenLayer(), Map.of()).layer(new OutputLayer(), Map.of()));
        INDArray conv = acts.get("conv1");
        assertThat(conv.shape()).containsExactly(2, 3, 4, 4);
        assertThat(acts.get("flatten1").shape()).containsExactly(2, 48);
        assertThat(acts.get("flatten1")).isEqualTo(conv.reshape('c', 2, 48));
    }

    @Test
    void flattenPassesVectorsThrough() {
        Map<String, INDArray> acts = forward(PluginGraphs.of()
                .layer(new Conv2dLayer(), Map.of("filters", 3, "kernel", 3))
                .layer(new GlobalAvgPoolLayer(), Map.of())
                .layer(new FlattenLayer(), Map.of()).layer(new OutputLayer(), Map.of()));
        assertThat(acts.get("flatten1")).isEqualTo(acts.get("gap1"));
    }

    @Test
    void globalAveragePoolingAveragesEachChannel() {
        Map<String, INDArray> acts = forward(PluginGraphs.of()
                .layer(new Conv2dLayer(), Map.of("filters", 3, "kernel", 3))
                .layer(new GlobalAvgPoolLayer(), Map.of()).layer(new OutputLayer(), Map.of()));
        assertThat(acts.get("gap1").shape()).containsExactly(2, 3);
        assertThat(acts.get("gap1").sub(acts.get("conv1").mean(2, 3)).amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void residualBlockKeepsTheShapeWithAnIdentityShortcut() {
        ComputationGraph net = PluginGraphs.of()
                .layer(new Conv2dLayer(), Map.of("filters", 4, "kernel", 1))
                .layer(new ResidualBlock(), Map.of("filters", 4)).layer(new OutputLayer(), Map.of()).build();
        assertThat(net.feedForward(X, false).get("res_out1").shape()).containsExactly(2, 4, 6, 6);
        // Two 3x3x4x4 convolutions without bias, two batchnorms of 4 channels (gamma, beta, mean, log-std).
        assertThat(net.getLayer("res_conv1").numParams()).isEqualTo(3 * 3 * 4 * 4);
        assertThat(net.getLayer("res_conv2").numParams()).isEqualTo(3 * 3 * 4 * 4);
        assertThat(net.getLayer("res_bn1").numParams()).isEqualTo(4 * 4);
        assertThat(net.getConfiguration().getVertices()).doesNotContainKey("res_proj1");
    }

    @Test
    void residualBlockProjectsTheShortcutWhenItDownsamples() {
        ComputationGraph net = PluginGraphs.of()
                .layer(new ResidualBlock(), Map.of("filters", 5, "stride", 2)).layer(new OutputLayer(), Map.of())
                .build();
        assertThat(net.feedForward(X, false).get("res_out1").shape()).containsExactly(2, 5, 3, 3);
        assertThat(net.getLayer("res_proj1").numParams()).isEqualTo(2 * 5);
        assertThat(net.getConfiguration().getVertexInputs().get("res_proj1")).containsExactly("input");
    }

    @Test
    void residualBlockThatWidensAtStrideOneNeedsAnExplicitProjection() {
        PluginGraphs auto = PluginGraphs.of().layer(new ResidualBlock(), Map.of("filters", 5))
                .layer(new OutputLayer(), Map.of());
        assertThatThrownBy(auto::configuration).hasMessageContaining("ElementWise");
        ComputationGraph projected = PluginGraphs.of()
                .layer(new ResidualBlock(), Map.of("filters", 5, "shortcut", "projection"))
                .layer(new OutputLayer(), Map.of()).build();
        assertThat(projected.feedForward(X, false).get("res_out1").shape()).containsExactly(2, 5, 6, 6);
    }
}
