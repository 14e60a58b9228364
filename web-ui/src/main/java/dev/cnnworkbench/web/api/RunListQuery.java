package dev.cnnworkbench.web.api;

import dev.cnnworkbench.storage.FilterException;
import dev.cnnworkbench.storage.RunQuery;
import dev.cnnworkbench.storage.filter.FilterParser;
import dev.cnnworkbench.web.ApiException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * The query parameters of {@code GET /api/runs}, checked and turned into the store's {@link RunQuery}:
 * {@code filter} (the store's filter language), {@code sort} (a column, {@code params.NAME} or {@code metrics.NAME};
 * default {@code started_at}), {@code order} ({@code asc} or {@code desc}, default {@code desc}), {@code offset}
 * (default 0) and {@code limit} (1 to {@link #MAX_LIMIT}, default {@link #DEFAULT_LIMIT}). A filter or sort key
 * that does not parse is refused with 400 and the offending token: {@code {"error", "param", "position",
 * "token"}}, {@code position} a 0-based character offset into the parameter's text.
 */
public final class RunListQuery {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;
    public static final int MAX_OFFSET = 10_000_000;
    public static final int MAX_FILTER_LENGTH = 4_000;

    private RunListQuery() {
    }

    public static RunQuery from(RoutingContext ctx) {
        String filter = single(ctx, "filter", "");
        if (filter.length() > MAX_FILTER_LENGTH) {
            throw new ApiException(400, "filter longer than " + MAX_FILTER_LENGTH + " characters", null,
                    new JsonObject().put("param", "filter"));
        }
        String sort = single(ctx, "sort", RunQuery.DEFAULT_SORT);
        checked("filter", () -> FilterParser.parse(filter));
        checked("sort", () -> FilterParser.parseField(sort));
        String order = single(ctx, "order", "desc").toLowerCase(Locale.ROOT);
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new ApiException(400, "query parameter 'order' must be asc or desc", null,
                    new JsonObject().put("param", "order"));
        }
        int offset = number(ctx, "offset", 0, 0, MAX_OFFSET);
        int limit = number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        return new RunQuery(filter, sort, order.equals("desc"), offset, limit);
    }

    private static void checked(String param, Runnable parse) {
        try {
            parse.run();
        } catch (FilterException e) {
            throw new ApiException(400, e.getMessage(), null, new JsonObject().put("param", param)
                    .put("position", e.position()).put("token", e.token()));
        }
    }

    private static String single(RoutingContext ctx, String name, String fallback) {
        List<String> values = ctx.queryParam(name);
        if (values.size() > 1) {
            throw new ApiException(400, "query parameter '" + name + "' given " + values.size() + " times", null,
                    new JsonObject().put("param", name));
        }
        return values.isEmpty() || values.get(0).isBlank() ? fallback : values.get(0).trim();
    }

    private static int number(RoutingContext ctx, String name, int fallback, int min, int max) {
        String raw = single(ctx, name, null);
        if (raw == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ApiException(400, "query parameter '" + name + "' must be a whole number from " + min + " to " + max,
                null, new JsonObject().put("param", name));
    }
}
