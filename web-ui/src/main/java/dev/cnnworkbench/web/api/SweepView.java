package dev.cnnworkbench.web.api;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.sweep.Objective;
import dev.cnnworkbench.core.sweep.TrialRanking;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.SweepStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sweep as the dashboard shows it, read from its records ({@link SweepStore}): the swept parameters and their
 * scales are the definition's domains ({@code loguniform} and {@code qloguniform} on a log axis, {@code choice} as
 * categories, the rest linear), the objective is the declared one (or the one asked for), and trials rank by
 * {@link TrialRanking}. Nothing is guessed from run names or values; a sweep migrated from before the records, whose
 * domains were never recorded, shows its parameters on linear axes and says so. Pure functions.
 */
public final class SweepView {

    private SweepView() {
    }

    /** A planned trial with its run (as the runs list shows it), or no run yet. */
    public record Row(SweepStore.Trial trial, RunSummary run) {

        Double value(String metric) {
            return run == null ? null : run.metrics().get(metric);
        }

        RunStatus status() {
            return run == null ? null : run.status();
        }
    }

    public static Objective objective(SweepStore.Sweep sweep, String metric, String direction) {
        String name = metric != null ? metric : sweep.metric();
        String dir = direction != null ? direction : metric == null ? sweep.direction()
                : name.contains("loss") || name.contains("error") ? "min" : "max";
        return new Objective(name, Objective.Direction.valueOf(dir.toUpperCase(Locale.ROOT)));
    }

    public static TrialRanking<Row> ranking(Objective objective) {
        return new TrialRanking<>(objective, Row::status, r -> r.value(objective.metric()), r -> r.trial().trial());
    }

    /** {@code {id, trials, statuses, objective, best, params, parent, status, user, startedAt, updatedAt}}. */
    public static JsonObject summary(SweepStore.Sweep sweep, List<Row> rows) {
        Objective objective = objective(sweep, null, null);
        Map<String, Integer> statuses = new TreeMap<>();
        rows.forEach(r -> statuses.merge(r.run() == null ? "PENDING" : r.run().status().name(), 1, Integer::sum));
        JsonObject json = new JsonObject().put("id", sweep.id()).put("trials", sweep.trials())
                .put("statuses", new JsonObject(new java.util.LinkedHashMap<>(statuses)))
                .put("objective", objectiveJson(objective)).put("params", new JsonArray(paramNames(sweep, rows)))
                .put("method", sweep.method()).put("status", sweep.status()).put("parent", sweep.parentId())
                .put("user", sweep.user()).put("startedAt", millis(sweep.createdAt()))
                .put("updatedAt", millis(sweep.updatedAt()));
        List<Row> top = ranking(objective).top(rows, 1);
        json.put("best", top.isEmpty() ? null : new JsonObject().put("runId", top.get(0).run().id())
                .put("name", top.get(0).run().name()).put("value", top.get(0).value(objective.metric())));
        return json;
    }

    /**
     * One sweep: {@code {id, objective, method, earlyStop, parent, params: [{name, type, scale, domain, min, max}],
     * metrics, best, pending, trials: [{trial, rank, stopped, stoppedAt, values, run}], rungs}}, trials best first;
     * {@code rank} is null for a trial that is not usable (failed, NaN, no value).
     */
    public static JsonObject detail(SweepStore.Sweep sweep, List<Row> rows, Objective objective, List<SweepStore.Rung> rungs) {
        TrialRanking<Row> ranking = ranking(objective);
        JsonArray params = new JsonArray();
        paramNames(sweep, rows).forEach(name -> params.add(param(sweep, name, rows)));
        Set<String> metrics = new TreeSet<>();
        rows.stream().filter(r -> r.run() != null).forEach(r -> metrics.addAll(r.run().metrics().keySet()));
        JsonArray trials = new JsonArray();
        int rank = 1;
        for (Row r : ranking.rank(rows.stream().filter(x -> x.run() != null).toList())) {
            trials.add(new JsonObject().put("trial", r.trial().trial()).put("rank", ranking.usable(r) ? rank++ : null)
                    .put("stopped", r.status() == RunStatus.STOPPED).put("stoppedAt", r.trial().stoppedAt())
                    .put("values", new JsonObject(r.trial().values())).put("run", ApiJson.summary(r.run())));
        }
        JsonArray rungJson = new JsonArray();
        rungs.forEach(g -> rungJson.add(new JsonObject().put("trial", g.trial()).put("rung", g.rung())
                .put("value", finite(g.value())).put("threshold", finite(g.threshold())).put("rank", g.rank())
                .put("of", g.of()).put("promoted", g.promoted()).put("reason", g.reason())));
        List<Row> best = ranking.top(rows, 1);
        return new JsonObject().put("id", sweep.id()).put("objective", objectiveJson(objective))
                .put("method", sweep.method()).put("status", sweep.status()).put("parallel", sweep.parallel())
                .put("seed", sweep.seed()).put("earlyStop", sweep.earlyStop() == null ? null : new JsonObject(sweep.earlyStop()))
                .put("explosionFactor", sweep.explosionFactor()).put("parent", sweep.parentId())
                .put("params", params).put("metrics", new JsonArray(new ArrayList<>(metrics)))
                .put("best", best.isEmpty() ? null : best.get(0).run().id())
                .put("pending", rows.stream().filter(r -> r.run() == null).count())
                .put("trials", trials).put("rungs", rungJson);
    }

    /** The swept parameters: the definition's, else (a migrated sweep) those the trials' values name. */
    private static List<String> paramNames(SweepStore.Sweep sweep, List<Row> rows) {
        if (!sweep.domains().isEmpty()) {
            return new ArrayList<>(sweep.domains().keySet());
        }
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.addAll(new JsonObject(r.trial().values()).fieldNames()));
        return new ArrayList<>(names);
    }

    /** A parameter with its domain and the scale its domain's kind gives. */
    public static JsonObject param(SweepStore.Sweep sweep, String name, List<Row> rows) {
        String domainText = sweep.domains().get(name);
        JsonObject domain = domainText == null ? null : new JsonObject(domainText);
        String kind = domain == null ? null : domain.fieldNames().stream().filter(k -> !k.equals("grid_points"))
                .findFirst().orElse(null);
        JsonObject json = new JsonObject().put("name", name).put("domain", domain).put("kind", kind);
        if ("choice".equals(kind)) {
            return json.put("type", "text").put("scale", "category").put("values", new JsonArray(
                    domain.getJsonArray("choice").stream().map(String::valueOf).distinct().toList()));
        }
        if (kind == null) {
            List<Object> values = rows.stream().map(r -> new JsonObject(r.trial().values()).getValue(name))
                    .filter(v -> v != null).toList();
            if (!values.stream().allMatch(v -> v instanceof Number)) {
                return json.put("type", "text").put("scale", "category")
                        .put("values", new JsonArray(values.stream().map(String::valueOf).distinct().sorted().toList()));
            }
            return json.put("type", "number").put("scale", "linear").put("note", "domain not recorded (migrated sweep)");
        }
        JsonArray bounds = domain.getJsonArray(kind);
        return json.put("type", "number").put("scale", kind.contains("log") ? "log" : "linear")
                .put("min", bounds.getValue(0)).put("max", bounds.getValue(1));
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static JsonObject objectiveJson(Objective objective) {
        return new JsonObject().put("metric", objective.metric()).put("direction", objective.direction().label());
    }
}
