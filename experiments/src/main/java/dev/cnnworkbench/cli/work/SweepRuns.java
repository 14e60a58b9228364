package dev.cnnworkbench.cli.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.experiment.Preflight;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.spec.SpecError;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.sweep.PastRun;
import dev.cnnworkbench.core.sweep.RungTable;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.SweepResume;
import dev.cnnworkbench.core.sweep.Trial;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.StoreClient;
import dev.cnnworkbench.storage.SweepStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A sweep's runs as its records in the store hold them, mapped to what the sweep logic reads. Stateless. */
public final class SweepRuns {

    private SweepRuns() {
    }

    /**
     * The runs recorded as trials of sweep {@code file} (by sweep id and trial number, every attempt), with their
     * recorded specs; with {@code epochs}, also the objective metric at the end of each epoch (for seeding ASHA's rungs).
     */
    public static List<PastRun> past(StoreClient queries, SweepFile file, boolean epochs) {
        String metric = file.sweep().objective().metric();
        List<PastRun> out = new ArrayList<>();
        for (SweepStore.TrialRun tr : queries.trialRuns(file.id())) {
            RunSummary run = queries.run(tr.runId()).orElse(null);
            if (run == null) {
                continue;
            }
            JsonNode spec = spec(queries.specAndProvenance(run.id()).get("spec"));
            List<Double> perEpoch = epochs ? perEpoch(queries.history(run.id(), metric)) : List.of();
            out.add(new PastRun(run.id(), tr.trial(), run.name(), run.status(), spec, run.metrics(), perEpoch,
                    run.startedAt() == null ? 0 : run.startedAt().toEpochMilli()));
        }
        return out;
    }

    private static JsonNode spec(String json) {
        if (json == null) {
            return null;
        }
        try {
            return SpecJson.readTree(json, "stored spec");
        } catch (SpecException e) {
            return null;
        }
    }

    /** The last value of each epoch, epochs in order; an epoch with no value ends the list. */
    private static List<Double> perEpoch(List<MetricPoint> points) {
        Map<Integer, Double> last = new TreeMap<>();
        points.forEach(p -> last.put(p.epoch(), p.value()));
        List<Double> out = new ArrayList<>();
        for (int e = 0; last.containsKey(e); e++) {
            out.add(last.get(e));
        }
        return out;
    }

    /** Puts the earlier sessions' finished trials on the rungs they reached, so new trials are judged against them. */
    public static void seed(RungTable table, SweepFile file, SweepResume.State state) {
        int epochs = file.base().path("train").path("epochs").asInt(1);
        for (Trial t : file.trials()) {
            PastRun run = state.done().get(t.number());
            if (run == null) {
                continue;
            }
            for (int rung : table.asha().rungs(epochs)) {
                if (rung <= run.epochObjective().size()) {
                    table.seed(t.number(), rung, run.epochObjective().get(rung - 1));
                }
            }
        }
    }

    /** Parses and resolves every trial's spec before anything trains, so a typo costs no training time. */
    public static void validate(SweepFile file, List<Trial> trials, SpecResolver resolver) {
        for (Trial t : trials) {
            try {
                Preflight.spec(file.trialSpec(t), List.of(), t.name(file.id()), resolver);
            } catch (SpecException e) {
                List<SpecError> errors = new ArrayList<>();
                e.errors().forEach(err -> errors.add(new SpecError(err.path(), err.message() + " (in trial "
                        + t.number() + ": " + t.describe() + ")")));
                throw new SpecException(errors);
            }
        }
    }
}
