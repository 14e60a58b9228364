package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Linear warm-up over the first {@code iterations} iterations, composed with the built-in schedule named by
 * {@code then}: {@code {"type": "warmup", "iterations": 500, "then": "cosine", "final_factor": 0.01}}. The inner
 * schedule's parameters sit next to {@code then} (the spec schema has no nested-object parameter type, so the
 * warm-up declares the union of its inner schedules' parameters, which share names and defaults); a parameter
 * changed from its default that {@code then} does not take is an error.
 */
public final class WarmupSchedule implements SchedulePlugin {

    private static final Map<String, SchedulePlugin> INNER = inner();
    private static final List<ParamSpec> PARAMS = params(INNER);

    private static Map<String, SchedulePlugin> inner() {
        Map<String, SchedulePlugin> inner = new LinkedHashMap<>();
        for (SchedulePlugin p : List.of(new ConstantSchedule(), new StepSchedule(), new ExponentialSchedule(),
                new InverseTimeSchedule(), new InverseSqrtSchedule(), new LinearSchedule(), new CosineSchedule(),
                new SgdrSchedule(), new SnapshotSchedule())) {
            inner.put(p.name(), p);
        }
        return inner;
    }

    private static List<ParamSpec> params(Map<String, SchedulePlugin> inner) {
        Map<String, ParamSpec> specs = new LinkedHashMap<>();
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (SchedulePlugin p : inner.values()) {
            for (ParamSpec spec : p.params()) {
                ParamSpec before = specs.putIfAbsent(spec.name(), spec);
                if (before != null && !before.equals(spec)) {
                    throw new IllegalStateException("schedules disagree on parameter '" + spec.name() + "'");
                }
                users.computeIfAbsent(spec.name(), k -> new ArrayList<>()).add(p.name());
            }
        }
        List<ParamSpec> all = new ArrayList<>(List.of(
                ParamSpec.integer("iterations", 500, 1, null, "length of the warm-up, in iterations"),
                ParamSpec.choice("then", "constant", List.copyOf(inner.keySet()),
                        "the schedule the warm-up leads into; its parameters go next to this one")));
        for (ParamSpec spec : specs.values()) {
            all.add(new ParamSpec(spec.name(), spec.type(), spec.defaultValue(), spec.min(), spec.max(),
                    spec.choices(), spec.help() + " (then: " + String.join(", ", users.get(spec.name())) + ")"));
        }
        return List.copyOf(all);
    }

    @Override
    public String name() {
        return "warmup";
    }

    @Override
    public String help() {
        return "linear warm-up from lr/W to lr over W iterations, then the schedule named by 'then'";
    }

    @Override
    public List<ParamSpec> params() {
        return PARAMS;
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        SchedulePlugin then = INNER.get(params.getString("then"));
        Map<String, Object> own = new LinkedHashMap<>();
        for (ParamSpec spec : then.params()) {
            own.put(spec.name(), params.asMap().get(spec.name()));
        }
        for (ParamSpec spec : PARAMS.subList(2, PARAMS.size())) {
            if (!own.containsKey(spec.name()) && !sameValue(params.asMap().get(spec.name()), spec.defaultValue())) {
                throw new IllegalArgumentException("'" + spec.name() + "' is not a parameter of the '" + then.name()
                        + "' schedule that the warm-up leads into");
            }
        }
        ISchedule inner = then.build(Params.of(own), baseRate, itersPerEpoch, totalIterations);
        return new LinearWarmup(inner, params.getInt("iterations"));
    }

    private static boolean sameValue(Object given, Object byDefault) {
        if (given instanceof Number a && byDefault instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return given == null || Objects.equals(given, byDefault);
    }
}
