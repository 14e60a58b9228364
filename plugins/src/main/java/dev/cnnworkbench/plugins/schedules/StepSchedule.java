package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.ParamType;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.List;
import java.util.TreeMap;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** Step decay: the rate is multiplied by {@code factor} at each epoch in {@code epochs}. */
public final class StepSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "step";
    }

    @Override
    public String help() {
        return "multiply the rate by 'factor' at the given epochs (e.g. 0.1 at 30, 60, 90)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                new ParamSpec("epochs", ParamType.INT_LIST, List.of(30, 60, 90), 1.0, null, List.of(),
                        "epochs (0-based) at whose start the rate drops"),
                ParamSpec.number("factor", 0.1, 0.0, 1.0, "multiplier applied at each drop"));
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        TreeMap<Integer, Double> values = new TreeMap<>();
        values.put(0, baseRate);
        double rate = baseRate;
        for (int epoch : params.getIntList("epochs").stream().sorted().toList()) {
            rate *= params.getDouble("factor");
            values.put(epoch, rate);
        }
        return new MapSchedule(ScheduleType.EPOCH, values);
    }
}
