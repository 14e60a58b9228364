package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnworkbench.core.bus.SweepDefined;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A sweep as the store records it when it starts ({@link SweepDefined}). Stateless. */
public final class SweepRecords {

    private SweepRecords() {
    }

    /** The definition of {@code file}'s sweep with every trial of its plan. */
    public static SweepDefined definition(SweepFile file, String user, long startedAt) {
        SweepSpec s = file.sweep();
        Map<String, String> domains = new LinkedHashMap<>();
        s.params().forEach((path, domain) -> domains.put(path, domain.toJson().toString()));
        List<SweepDefined.PlannedTrial> plan = file.trials().stream()
                .map(t -> new SweepDefined.PlannedTrial(t.number(), values(t).toString())).toList();
        ObjectNode early = s.earlyStopJson();
        return new SweepDefined(file.id(), file.toJson().toString(), s.method().label(), s.objective().metric(),
                s.objective().direction().label(), plan.size(), s.parallel(), s.seed(), domains,
                early == null ? null : early.toString(), s.explosionFactor(), s.parent(), plan, user, startedAt);
    }

    /** A trial's values as a JSON object, parameter path to value. */
    public static ObjectNode values(Trial trial) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        trial.values().forEach(out::set);
        return out;
    }
}
