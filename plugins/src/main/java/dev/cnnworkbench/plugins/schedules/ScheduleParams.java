package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Parameters several schedules share. One name means one thing with one default everywhere, which is what lets
 * {@link WarmupSchedule} offer the union of its inner schedules' parameters.
 */
final class ScheduleParams {

    static final ParamSpec DECAY_RATE = ParamSpec.number("decay_rate", 1.0, 0.0, null,
            "k in the decay formula");
    static final ParamSpec PER = ParamSpec.choice("per", "epoch", List.of("epoch", "iteration"),
            "whether the formula counts epochs or iterations");
    static final ParamSpec FINAL_FACTOR = ParamSpec.number("final_factor", 0.0, 0.0, 1.0,
            "the rate at the end, as a fraction of the base rate");

    private ScheduleParams() {
    }

    static ScheduleType per(Params params) {
        return params.getString(PER.name()).equals("iteration") ? ScheduleType.ITERATION : ScheduleType.EPOCH;
    }
}
