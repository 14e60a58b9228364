package dev.cnnworkbench.plugins.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.engine.PluginGraphs;
import dev.cnnworkbench.plugins.TestParams;
import dev.cnnworkbench.plugins.optimizers.AdamWOptimizer;
import dev.cnnworkbench.plugins.schedules.SnapshotSchedule;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A network using every custom DL4J class the plugins bring (updater, schedule, layer, preprocessor, loss) is
 * written into DL4J's JSON and checkpoint format and read back unchanged, the way snapshots are kept.
 */
class NetworkPersistenceTest {

    private static PluginGraphs graph(boolean dropout) {
        AdamWOptimizer adamw = new AdamWOptimizer();
        var params = TestParams.of(adamw);
        IUpdater updater = adamw.build(params, new SnapshotSchedule()
                .build(TestParams.of(new SnapshotSchedule(), Map.of("cycles", 2)), 0.01, 5, 20));
        PluginGraphs graph = PluginGraphs.of().dataType(DataType.FLOAT).updater(updater)
                .layer(new Conv2dLayer(), Map.of("filters", 4, "kernel", 3, "padding", "same", "activation", "relu"))
                .layer(new ResidualBlock(), Map.of("filters", 4))
                .layer(new LayerNormLayer(), Map.of())
                .layer(new FlattenLayer(), Map.of());
        if (dropout) {
            graph.layer(new DropoutLayer(), Map.of("drop", 0.1));
        }
        return graph.layer(new OutputLayer(), Map.of("loss", "svm"));
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) {
            labels.putScalar(i, i % 3, 1f);
        }
        return new DataSet(Nd4j.rand(DataType.FLOAT, 8, 2, 6, 6), labels);
    }

    @Test
    void configurationSurvivesDl4jJson() {
        ComputationGraphConfiguration conf = graph(true).configuration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertThat(back).isEqualTo(conf);
        assertThat(back.toJson()).isEqualTo(conf.toJson());
    }

    @Test
    void trainedNetworkSurvivesACheckpointWithItsUpdaterState(@TempDir Path dir) throws Exception {
        // No dropout here: its random masks would make the two copies' next steps differ.
        ComputationGraph net = graph(false).build();
        DataSet data = data();
        double before = net.score(data);
        for (int i = 0; i < 5; i++) {
            net.fit(data);
        }
        assertThat(net.score(data)).isLessThan(before);
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(file, true);
        assertThat(back.params()).isEqualTo(net.params());
        assertThat(back.getUpdater().getStateViewArray()).isEqualTo(net.getUpdater().getStateViewArray());
        assertThat(back.outputSingle(false, data.getFeatures())).isEqualTo(net.outputSingle(false, data.getFeatures()));
        net.fit(data);
        back.fit(data);
        assertThat(back.params()).isEqualTo(net.params());
    }
}
