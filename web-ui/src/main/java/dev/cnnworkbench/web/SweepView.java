package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.sweep.Objective;
import dev.cnnworkbench.storage.RunSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep as the dashboard shows it, read from its trial runs. A sweep is recorded as ordinary runs: every trial's
 * {@code experiment} is the sweep's id and its name {@code <id>-trial-007} (see {@code SweepFile}). The store keeps
 * no sweep section, so what was swept and how is read back from the runs: the swept parameters are those whose
 * values differ between trials, a numeric one is shown on a log axis when its values look log-uniform
 * ({@link ScaleGuess}), and the objective is the one asked for or the first of {@link #OBJECTIVES} the trials
 * recorded. Trials rank as the CLI's sweep table ranks them: finished by objective, then stopped, then the rest.
 * Pure functions.
 */
final class SweepView {

    static final Pattern TRIAL = Pattern.compile("(.+)-trial-(\\d+)");
    /** Objectives tried in order when none is asked for: the first metric any trial has. */
    static final List<String> OBJECTIVES = List.of("val_accuracy", "test_accuracy", "val_loss", "test_loss", "train_loss");
    private static final Set<String> NOT_SWEPT = Set.of("name", "experiment", "description");

    private SweepView() {
    }

    /** The trial runs among {@code runs}, by sweep id, sweeps in order of first appearance. */
    static Map<String, List<RunSummary>> bySweep(List<RunSummary> runs) {
        Map<String, List<RunSummary>> out = new LinkedHashMap<>();
        for (RunSummary run : runs) {
            Integer trial = trialNumber(run);
            if (trial != null) {
                out.computeIfAbsent(run.experiment(), k -> new ArrayList<>()).add(run);
            }
        }
        return out;
    }

    /** The trial number when {@code run} is a trial of the sweep named by its experiment, else {@code null}. */
    static Integer trialNumber(RunSummary run) {
        Matcher m = TRIAL.matcher(run.name());
        if (!m.matches() || !m.group(1).equals(run.experiment())) {
            return null;
        }
        try {
            return Integer.valueOf(m.group(2));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The objective asked for ({@code metric}, {@code direction} may each be null) or inferred from the trials. */
    static Objective objective(List<RunSummary> trials, String metric, String direction) {
        String name = metric;
        if (name == null) {
            name = OBJECTIVES.stream().filter(o -> trials.stream().anyMatch(t -> t.metrics().containsKey(o)))
                    .findFirst().orElse("val_accuracy");
        }
        Objective.Direction dir = direction != null ? Objective.Direction.valueOf(direction.toUpperCase(Locale.ROOT))
                : name.contains("loss") || name.contains("error") ? Objective.Direction.MIN : Objective.Direction.MAX;
        return new Objective(name, dir);
    }

    /** The parameters whose values differ between trials, by name. */
    static List<String> sweptParams(List<RunSummary> trials) {
        Set<String> names = new TreeSet<>();
        trials.forEach(t -> names.addAll(t.params().keySet()));
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (NOT_SWEPT.contains(name)) {
                continue;
            }
            long distinct = trials.stream().map(t -> String.valueOf(t.params().get(name))).distinct().count();
            if (distinct > 1) {
                out.add(name);
            }
        }
        return out;
    }

    /** The trials best first (see the class comment). */
    static List<RunSummary> ranked(List<RunSummary> trials, Objective objective) {
        Comparator<RunSummary> group = Comparator.comparingInt(r -> r.status() == RunStatus.FINISHED ? 0
                : r.status() == RunStatus.STOPPED ? 1 : 2);
        return trials.stream().sorted(group
                .thenComparing((RunSummary r) -> r.metrics().get(objective.metric()), objective.order())
                .thenComparing(r -> Objects.requireNonNullElse(trialNumber(r), 0))).toList();
    }

    /** {@code {id, trials, statuses, objective, best, params, startedAt, endedAt}} for the list of sweeps. */
    static JsonObject summary(String id, List<RunSummary> trials) {
        Objective objective = objective(trials, null, null);
        List<RunSummary> ranked = ranked(trials, objective);
        Map<String, Integer> statuses = new TreeMap<>();
        trials.forEach(t -> statuses.merge(t.status().name(), 1, Integer::sum));
        JsonObject json = new JsonObject().put("id", id).put("trials", trials.size())
                .put("statuses", new JsonObject(new LinkedHashMap<>(statuses)))
                .put("objective", objectiveJson(objective))
                .put("params", new JsonArray(sweptParams(trials)))
                .put("user", trials.get(0).user())
                .put("startedAt", millis(trials.stream().map(RunSummary::startedAt).filter(Objects::nonNull)
                        .min(Comparator.naturalOrder()).orElse(null)))
                .put("endedAt", trials.stream().anyMatch(t -> t.endedAt() == null) ? null
                        : millis(trials.stream().map(RunSummary::endedAt).max(Comparator.naturalOrder()).orElse(null)));
        best(ranked, objective).ifPresentOrElse(b -> json.put("best", new JsonObject().put("runId", b.id())
                .put("name", b.name()).put("value", b.metrics().get(objective.metric()))), () -> json.putNull("best"));
        return json;
    }

    /**
     * One sweep: {@code {id, objective, params: [{name, type, scale, min, max}], metrics, best, trials: [{trial,
     * rank, run}]}}, trials best first; {@code run} as the runs list shows a run.
     */
    static JsonObject detail(String id, List<RunSummary> trials, Objective objective) {
        List<RunSummary> ranked = ranked(trials, objective);
        JsonArray params = new JsonArray();
        for (String name : sweptParams(trials)) {
            params.add(param(name, trials));
        }
        Set<String> metrics = new TreeSet<>();
        trials.forEach(t -> metrics.addAll(t.metrics().keySet()));
        JsonArray rows = new JsonArray();
        int rank = 1;
        for (RunSummary t : ranked) {
            rows.add(new JsonObject().put("trial", trialNumber(t)).put("rank", rank++).put("run", ApiJson.summary(t)));
        }
        return new JsonObject().put("id", id).put("objective", objectiveJson(objective)).put("params", params)
                .put("metrics", new JsonArray(new ArrayList<>(metrics)))
                .put("best", best(ranked, objective).map(RunSummary::id).orElse(null))
                .put("trials", rows);
    }

    private static JsonObject param(String name, List<RunSummary> trials) {
        List<Object> values = trials.stream().map(t -> t.params().get(name)).filter(Objects::nonNull).toList();
        boolean numeric = !values.isEmpty() && values.stream().allMatch(v -> v instanceof Number);
        JsonObject json = new JsonObject().put("name", name).put("type", numeric ? "number" : "text");
        if (numeric) {
            double[] v = values.stream().mapToDouble(o -> ((Number) o).doubleValue()).filter(Double::isFinite).toArray();
            json.put("scale", ScaleGuess.logScale(v) ? "log" : "linear")
                    .put("min", Arrays.stream(v).min().orElse(0))
                    .put("max", Arrays.stream(v).max().orElse(0));
        } else {
            json.put("scale", "category")
                    .put("values", new JsonArray(values.stream().map(String::valueOf).distinct().sorted().toList()));
        }
        return json;
    }

    private static Optional<RunSummary> best(List<RunSummary> ranked, Objective objective) {
        return ranked.stream().findFirst().filter(r -> {
            Double v = r.metrics().get(objective.metric());
            return v != null && Double.isFinite(v) && (r.status() == RunStatus.FINISHED || r.status() == RunStatus.STOPPED);
        });
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static JsonObject objectiveJson(Objective objective) {
        return new JsonObject().put("metric", objective.metric()).put("direction", objective.direction().label());
    }
}
