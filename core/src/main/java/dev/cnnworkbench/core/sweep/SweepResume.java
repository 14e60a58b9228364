package dev.cnnworkbench.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnworkbench.core.bus.RunStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which trials of a sweep are already done, from the sweep's records in the store. A run is a trial's when its start
 * recorded the trial's number (not its name: a renamed trial is still the trial) and its recorded spec holds the
 * trial's values (so editing a sweep's ranges and keeping its name does not
 * pass old runs off as new trials). A trial is done when such a run {@code FINISHED} or was {@code STOPPED} by a
 * stop rule; a {@code RUNNING} one is left alone (a live process, maybe another machine, is on it); the others
 * ({@code FAILED}, {@code INTERRUPTED}, none) run again. Stateless.
 */
public final class SweepResume {

    private static final Pattern STEP = Pattern.compile("([^.\\[]+)|\\[(\\d+)]");

    private SweepResume() {
    }

    /** What the store holds for one sweep. */
    public record State(Map<Integer, PastRun> done, Map<Integer, PastRun> running, List<Trial> pending) {

        /** The finished and stopped trials as results. */
        public List<TrialResult> results(List<Trial> trials, Objective objective) {
            List<TrialResult> out = new ArrayList<>();
            for (Trial t : trials) {
                PastRun run = done.containsKey(t.number()) ? done.get(t.number()) : running.get(t.number());
                if (run != null) {
                    out.add(new TrialResult(t, run.runId(), run.status(), run.metrics().get(objective.metric()), null));
                }
            }
            return out;
        }
    }

    /**
     * Splits the trials of {@code file} into done, running elsewhere and still to run.
     *
     * @param runs the runs recorded as trials of this sweep (every attempt)
     */
    public static State state(SweepFile file, List<PastRun> runs) {
        Map<Integer, PastRun> done = new LinkedHashMap<>();
        Map<Integer, PastRun> running = new LinkedHashMap<>();
        List<Trial> pending = new ArrayList<>();
        for (Trial trial : file.trials()) {
            List<PastRun> mine = runs.stream()
                    .filter(r -> r.trial() == trial.number() && holds(r.spec(), trial))
                    .sorted(Comparator.comparingLong(PastRun::startedAt).reversed())
                    .toList();
            Optional<PastRun> finished = mine.stream()
                    .filter(r -> r.status() == RunStatus.FINISHED || r.status() == RunStatus.STOPPED).findFirst();
            Optional<PastRun> live = mine.stream().filter(r -> r.status() == RunStatus.RUNNING).findFirst();
            if (finished.isPresent()) {
                done.put(trial.number(), finished.get());
            } else if (live.isPresent()) {
                running.put(trial.number(), live.get());
            } else {
                pending.add(trial);
            }
        }
        return new State(done, running, pending);
    }

    /** Whether {@code spec} (a run's recorded spec) has every value {@code trial} sets. */
    public static boolean holds(JsonNode spec, Trial trial) {
        if (spec == null) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : trial.values().entrySet()) {
            JsonNode actual = at(spec, e.getKey());
            if (actual == null || !covers(e.getValue(), actual)) {
                return false;
            }
        }
        return true;
    }

    /** The node at a dotted path ({@code model.layers[0].filters}), or {@code null}. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String segment : path.split("\\.")) {
            Matcher s = STEP.matcher(segment);
            while (node != null && s.find()) {
                node = s.group(1) != null ? node.get(s.group(1)) : node.get(Integer.parseInt(s.group(2)));
            }
        }
        return node;
    }

    /**
     * Whether {@code actual} holds {@code expected}: equal numbers (whatever their JSON type), equal scalars, arrays
     * element by element, and objects whose every expected field is covered (the resolver adds defaults).
     */
    static boolean covers(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            double a = expected.asDouble();
            double b = actual.asDouble();
            return a == b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
        }
        if (expected.isObject() && actual.isObject()) {
            for (var it = expected.fields(); it.hasNext(); ) {
                var f = it.next();
                if (!actual.has(f.getKey()) || !covers(f.getValue(), actual.get(f.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!covers(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }
}
