package dev.cnnworkbench.plugins.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.plugin.OptimizerPlugin;
import dev.cnnworkbench.plugins.TestParams;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** DL4J writes updaters into the model configuration: every built-in one must survive its JSON mapper. */
class UpdaterJsonTest {

    @Test
    void everyOptimizerRoundTripsThroughDl4jJson() throws Exception {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        for (OptimizerPlugin plugin : List.of(new SgdOptimizer(), new MomentumOptimizer(), new NesterovOptimizer(),
                new AdagradOptimizer(), new RmspropOptimizer(), new AdamOptimizer(), new AdamWOptimizer())) {
            IUpdater updater = plugin.build(TestParams.of(plugin),
                    new ExponentialSchedule(ScheduleType.EPOCH, 0.1, 0.95));
            String json = mapper.writerFor(IUpdater.class).writeValueAsString(updater);
            IUpdater back = mapper.readValue(json, IUpdater.class);
            assertThat(back).as(json).isEqualTo(updater).isNotSameAs(updater);
            assertThat(back.getLearningRate(3, 2)).isEqualTo(0.1 * 0.95 * 0.95);
            assertThat(back.clone()).isEqualTo(updater);
        }
    }
}
