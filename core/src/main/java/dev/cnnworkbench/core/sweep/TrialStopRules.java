package dev.cnnworkbench.core.sweep;

import dev.cnnworkbench.core.engine.StopRule;
import io.vertx.core.eventbus.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The stop rules of one sweep trial, built from its {@link TrialRequest} by whoever trains it. */
public final class TrialStopRules {

    /** How long a trial may wait for its coordinator's answer at a rung. */
    static final Duration RUNG_TIMEOUT = Duration.ofMinutes(2);

    private TrialStopRules() {
    }

    /**
     * A fresh explosion rule (it remembers the first loss) when the sweep has one, and ASHA, judged by the sweep's
     * coordinator over {@code bus}, when the sweep has it. Each call returns new rules: one per trial run.
     */
    public static StopRule of(EventBus bus, TrialRequest request) {
        List<StopRule> rules = new ArrayList<>();
        if (request.explosionFactor() > 0) {
            rules.add(new ExplosionRule(request.explosionFactor()));
        }
        if (request.asha() != null) {
            int epochs = epochs(request.specJson());
            rules.add(new AshaRule(request.asha(), request.objectiveMetric(), request.trial(), epochs,
                    new BusRungDecider(bus, request.sweepId(), RUNG_TIMEOUT)));
        }
        return StopRules.firstOf(rules);
    }

    private static int epochs(String specJson) {
        var train = dev.cnnworkbench.core.spec.SpecJson.readTree(specJson, "trial").path("train").path("epochs");
        return train.isIntegralNumber() ? train.asInt() : 1;
    }
}
