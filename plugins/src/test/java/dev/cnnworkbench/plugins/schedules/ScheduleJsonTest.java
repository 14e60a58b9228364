package dev.cnnworkbench.plugins.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.plugin.SchedulePlugin;
import dev.cnnworkbench.plugins.TestParams;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** DL4J writes schedules into the model configuration: every built-in one must survive its JSON mapper. */
class ScheduleJsonTest {

    @Test
    void everyScheduleRoundTripsThroughDl4jJsonWithTheSameValues() throws Exception {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        List<SchedulePlugin> plugins = List.of(new ConstantSchedule(), new StepSchedule(), new ExponentialSchedule(),
                new InverseTimeSchedule(), new InverseSqrtSchedule(), new LinearSchedule(), new CosineSchedule(),
                new SgdrSchedule(), new SnapshotSchedule(), new WarmupSchedule());
        for (SchedulePlugin plugin : plugins) {
            Map<String, Object> raw = plugin instanceof WarmupSchedule ? Map.of("then", "sgdr", "t0", 1) : Map.of();
            ISchedule schedule = plugin.build(TestParams.of(plugin, raw), 0.1, 10, 200);
            String json = mapper.writerFor(ISchedule.class).writeValueAsString(schedule);
            ISchedule back = mapper.readValue(json, ISchedule.class);
            assertThat(back).as(json).isEqualTo(schedule);
            for (int it = 0; it < 200; it += 7) {
                assertThat(back.valueAt(it, it / 10)).as(json).isEqualTo(schedule.valueAt(it, it / 10));
            }
            assertThat(schedule.clone()).isEqualTo(schedule);
        }
    }
}
