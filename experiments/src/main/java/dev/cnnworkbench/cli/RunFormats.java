package dev.cnnworkbench.cli;

import dev.cnnworkbench.storage.RunSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Renders run lists for the terminal (table), for programs (JSON) and for spreadsheets (CSV). */
final class RunFormats {

    private static final List<String> KEY_METRICS = List.of("test_accuracy", "val_accuracy", "train_loss");

    private RunFormats() {
    }

    static String json(List<RunSummary> runs) {
        JsonArray array = new JsonArray();
        for (RunSummary r : runs) {
            JsonObject metrics = new JsonObject();
            r.metrics().forEach((k, v) -> metrics.put(k, number(v)));
            array.add(new JsonObject()
                    .put("id", r.id()).put("name", r.name()).put("experiment", r.experiment())
                    .put("status", r.status().name()).put("user", r.user()).put("host", r.host())
                    .put("startedAt", iso(r.startedAt())).put("endedAt", iso(r.endedAt()))
                    .put("error", r.error())
                    .put("params", new JsonObject(new java.util.LinkedHashMap<>(r.params())))
                    .put("metrics", metrics));
        }
        return array.encodePrettily() + "\n";
    }

    /** JSON has no NaN or infinity: those become the strings "NaN", "Infinity", "-Infinity". */
    /** A JSON value for a metric: the number, or "NaN", "Infinity", "-Infinity" as text (JSON has no such numbers). */
    static Object number(double v) {
        return Double.isFinite(v) ? (Object) v : Double.toString(v);
    }

    static String csv(List<RunSummary> runs) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        runs.forEach(r -> {
            params.addAll(r.params().keySet());
            metrics.addAll(r.metrics().keySet());
        });
        List<String> header = new ArrayList<>(List.of("id", "name", "experiment", "status", "user", "startedAt", "endedAt"));
        params.forEach(p -> header.add("params." + p));
        metrics.forEach(m -> header.add("metrics." + m));
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
            for (RunSummary r : runs) {
                List<Object> row = new ArrayList<>(List.of(r.id(), r.name(), r.experiment(), r.status().name(),
                        String.valueOf(r.user()), iso(r.startedAt()), String.valueOf(iso(r.endedAt()))));
                params.forEach(p -> row.add(r.params().getOrDefault(p, "")));
                metrics.forEach(m -> row.add(r.metrics().containsKey(m) ? r.metrics().get(m) : ""));
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String table(List<RunSummary> runs) {
        if (runs.isEmpty()) {
            return "no runs recorded yet; train one with: ./workbench run experiments/lenet5-fashion.json\n";
        }
        // a trainer's ids have 12 characters, an MLflow client's 32: the column fits the longest listed
        int idWidth = runs.stream().mapToInt(r -> r.id().length()).max().orElse(12);
        String id = "%-" + idWidth + "s";
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, id + "  %-24s  %-11s  %-19s  %9s  %13s  %12s  %10s%n",
                "ID", "NAME", "STATUS", "STARTED (UTC)", "DURATION", "TEST_ACCURACY", "VAL_ACCURACY", "TRAIN_LOSS"));
        for (RunSummary r : runs) {
            sb.append(String.format(Locale.ROOT, id + "  %-24s  %-11s  %-19s  %9s", r.id(), cut(r.name(), 24),
                    r.status(), iso(r.startedAt()).substring(0, 19).replace('T', ' '), duration(r)));
            for (String m : KEY_METRICS) {
                Double v = r.metrics().get(m);
                int width = m.length();
                sb.append("  ").append(String.format(Locale.ROOT, "%" + width + "s", v == null ? "-" : String.format(Locale.ROOT, "%.4f", v)));
            }
            sb.append('\n');
            if (r.error() != null) {
                sb.append(" ".repeat(idWidth + 2)).append(cut(r.error(), 100)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String duration(RunSummary r) {
        Instant end = r.endedAt() != null ? r.endedAt() : Instant.now();
        Duration d = Duration.between(r.startedAt(), end);
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

}
