package dev.cnnworkbench.web;

import dev.cnnworkbench.core.bus.MetricPoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.util.List;

/**
 * Metric series written straight to JSON text, the same shape as {@link ApiJson#series} ({@code {step: [], epoch:
 * [], time: [], value: []}}, a non-finite value as {@code null}) without building a tree of boxed numbers first: an
 * overlay of 20 runs is 160,000 numbers, and the tree cost more than reading them from the store. Called on a worker
 * thread, so the event loop only sends the bytes.
 */
final class SeriesJson {

    private SeriesJson() {
    }

    /** {@code {"<nameKey>": name, "<mapKey>": {key: series, ...}}}, keys in the order given. */
    static Buffer object(String nameKey, String name, String mapKey, List<String> keys, List<List<MetricPoint>> series) {
        StringBuilder out = new StringBuilder(64 + series.stream().mapToInt(s -> s.size() * 48).sum());
        out.append('{').append(Json.encode(nameKey)).append(':').append(Json.encode(name)).append(',')
                .append(Json.encode(mapKey)).append(":{");
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(Json.encode(keys.get(i))).append(':');
            append(out, series.get(i));
        }
        return Buffer.buffer(out.append("}}").toString());
    }

    static void append(StringBuilder out, List<MetricPoint> points) {
        out.append("{\"step\":[");
        for (int i = 0; i < points.size(); i++) {
            out.append(i > 0 ? "," : "").append(points.get(i).step());
        }
        out.append("],\"epoch\":[");
        for (int i = 0; i < points.size(); i++) {
            out.append(i > 0 ? "," : "").append(points.get(i).epoch());
        }
        out.append("],\"time\":[");
        for (int i = 0; i < points.size(); i++) {
            out.append(i > 0 ? "," : "").append(points.get(i).time());
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
