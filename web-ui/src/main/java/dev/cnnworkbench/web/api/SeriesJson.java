package dev.cnnworkbench.web.api;

import dev.cnnworkbench.core.bus.MetricPoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.util.List;

/**
 * Metric series written straight to JSON text, the same shape as {@link ApiJson#series} ({@code {step: [], epoch:
 * [], time: [], value: []}}, a non-finite value as {@code null}) without building a tree of boxed numbers first: an
 * overlay of 20 runs is 160,000 numbers, and the tree cost more than reading them from the store. Called on a worker
 * thread, so the event loop only sends the bytes. A chart drawn against steps needs neither {@code epoch} nor
 * {@code time}: {@link Columns} leaves them out (half the bytes to send and to parse).
 */
public final class SeriesJson {

    /** Which of the optional columns a series carries; {@code step} and {@code value} always come. */
    public record Columns(boolean epoch, boolean time) {

        static final Columns ALL = new Columns(true, true);
    }

    private SeriesJson() {
    }

    /** {@code {"<nameKey>": name, "<mapKey>": {key: series, ...}}}, keys in the order given, every column. */
    public static Buffer object(String nameKey, String name, String mapKey, List<String> keys, List<List<MetricPoint>> series) {
        return object(nameKey, name, mapKey, keys, series, Columns.ALL);
    }

    /** {@code {"<nameKey>": name, "<mapKey>": {key: series, ...}}}, keys in the order given. */
    public static Buffer object(String nameKey, String name, String mapKey, List<String> keys, List<List<MetricPoint>> series,
                         Columns columns) {
        StringBuilder out = new StringBuilder(64 + series.stream().mapToInt(s -> s.size() * 48).sum());
        out.append('{').append(Json.encode(nameKey)).append(':').append(Json.encode(name)).append(',')
                .append(Json.encode(mapKey)).append(':');
        map(out, keys, series, columns);
        return Buffer.buffer(out.append('}').toString());
    }

    /**
     * {@code {"metrics": {metric: {run: series, ...}, ...}}}: several metrics of the same runs in one answer, the
     * metrics in the order of {@code metrics}, the runs in the order of {@code runs}.
     */
    public static Buffer metrics(List<String> metrics, List<String> runs, List<List<List<MetricPoint>>> series, Columns columns) {
        StringBuilder out = new StringBuilder(64 + series.stream().flatMap(List::stream).mapToInt(s -> s.size() * 24).sum());
        out.append("{\"metrics\":{");
        for (int m = 0; m < metrics.size(); m++) {
            out.append(m > 0 ? "," : "").append(Json.encode(metrics.get(m))).append(':');
            map(out, runs, series.get(m), columns);
        }
        return Buffer.buffer(out.append("}}").toString());
    }

    private static void map(StringBuilder out, List<String> keys, List<List<MetricPoint>> series, Columns columns) {
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(Json.encode(keys.get(i))).append(':');
            append(out, series.get(i), columns);
        }
        out.append('}');
    }

    public static void append(StringBuilder out, List<MetricPoint> points) {
        append(out, points, Columns.ALL);
    }

    public static void append(StringBuilder out, List<MetricPoint> points, Columns columns) {
        out.append("{\"step\":[");
        for (int i = 0; i < points.size(); i++) {
            out.append(i > 0 ? "," : "").append(points.get(i).step());
        }
        if (columns.epoch()) {
            out.append("],\"epoch\":[");
            for (int i = 0; i < points.size(); i++) {
                out.append(i > 0 ? "," : "").append(points.get(i).epoch());
            }
        }
        if (columns.time()) {
            out.append("],\"time\":[");
            for (int i = 0; i < points.size(); i++) {
                out.append(i > 0 ? "," : "").append(points.get(i).time());
            }
        }
        out.append("],\"value\":[");
        for (int i = 0; i < points.size(); i++) {
            double v = points.get(i).value();
            out.append(i > 0 ? "," : "");
            if (Double.isFinite(v)) {
                out.append(v);
            } else {
                out.append("null");
            }
        }
        out.append("]}");
    }
}
