package dev.cnnworkbench.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.spec.SpecJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepResumeTest {

    private final SweepFile file = SweepFileTest.file();
    private final List<Trial> trials = file.trials();

    private PastRun run(String id, Trial t, RunStatus status, long started) {
        return new PastRun(id, t.number(), t.name(file.id()), status, file.trialSpec(t), Map.of("val_accuracy", 0.5), List.of(),
                started);
    }

    @Test
    void onlyTrialsWithoutAFinishedOrStoppedRunAreRunAgain() {
        List<PastRun> runs = new ArrayList<>();
        runs.add(run("a", trials.get(0), RunStatus.FINISHED, 1));
        runs.add(run("b", trials.get(1), RunStatus.INTERRUPTED, 2));
        runs.add(run("c", trials.get(2), RunStatus.STOPPED, 3));
        runs.add(run("d", trials.get(3), RunStatus.FAILED, 4));
        SweepResume.State state = SweepResume.state(file, runs);
        assertThat(state.done()).containsOnlyKeys(1, 3);
        assertThat(state.pending()).extracting(Trial::number).containsExactly(2, 4);
        assertThat(state.running()).isEmpty();
        assertThat(state.results(trials, file.sweep().objective())).extracting(TrialResult::runId)
                .containsExactly("a", "c");
    }

    @Test
    void aRerunAfterAnInterruptionCountsAndTheLatestFinishedRunIsTheTrials() {
        List<PastRun> runs = List.of(
                run("old", trials.get(0), RunStatus.INTERRUPTED, 1),
                run("new", trials.get(0), RunStatus.FINISHED, 2),
                run("newer", trials.get(0), RunStatus.FINISHED, 3));
        assertThat(SweepResume.state(file, runs).done().get(1).runId()).isEqualTo("newer");
    }

    /** The defect: renaming a trial (PUT /api/runs/ID/name) made 'sweep' train it again. */
    @Test
    void aRenamedTrialIsStillItsTrial() {
        PastRun renamed = new PastRun("r", 2, "my favourite run", RunStatus.FINISHED, file.trialSpec(trials.get(1)),
                Map.of(), List.of(), 1);
        assertThat(SweepResume.state(file, List.of(renamed)).done()).containsOnlyKeys(2);
        PastRun namedLikeATrial = new PastRun("x", 3, trials.get(1).name(file.id()), RunStatus.FINISHED,
                file.trialSpec(trials.get(1)), Map.of(), List.of(), 1);
        assertThat(SweepResume.state(file, List.of(namedLikeATrial)).done()).as("a name makes no trial").isEmpty();
    }

    @Test
    void aLiveRunIsLeftAloneAndNotStartedTwice() {
        SweepResume.State state = SweepResume.state(file, List.of(run("live", trials.get(1), RunStatus.RUNNING, 1)));
        assertThat(state.running()).containsOnlyKeys(2);
        assertThat(state.pending()).extracting(Trial::number).containsExactly(1, 3, 4);
    }

    @Test
    void aRunWithTheTrialsNameButOtherValuesIsNotTheTrial() {
        // The sweep's ranges were edited after this run: same name, another learning rate.
        JsonNode spec = file.trialSpec(trials.get(0)).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("optimizer")).put("lr", 0.5);
        PastRun stale = new PastRun("stale", 1, trials.get(0).name(file.id()), RunStatus.FINISHED, spec, Map.of(),
                List.of(), 1);
        assertThat(SweepResume.state(file, List.of(stale)).pending()).hasSize(4);
    }

    @Test
    void matchesValuesInTheResolvedSpecWhateverTheNumberTypeAndWithAddedDefaults() {
        Trial t = new Trial(1, Map.of(
                "train.batch", SpecJson.readTree("64", "t"),
                "schedule", SpecJson.readTree("{\"type\": \"snapshot\", \"cycles\": 5}", "t"),
                "model.layers[1].units", SpecJson.readTree("10", "t")));
        JsonNode resolved = SpecJson.readTree("""
                {"train": {"batch": 64.0}, "schedule": {"type": "snapshot", "cycles": 5.0, "extra": 1},
                 "model": {"layers": [{"type": "conv2d"}, {"type": "output", "units": 10}]}}
                """, "t");
        assertThat(SweepResume.holds(resolved, t)).isTrue();
        JsonNode other = SpecJson.readTree("""
                {"train": {"batch": 64}, "schedule": {"type": "step"},
                 "model": {"layers": [{"type": "conv2d"}, {"type": "output", "units": 10}]}}
                """, "t");
        assertThat(SweepResume.holds(other, t)).isFalse();
    }
}
