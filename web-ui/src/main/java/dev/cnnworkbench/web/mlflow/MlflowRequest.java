package dev.cnnworkbench.web.mlflow;

import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one MLflow request: a POST's JSON body or a GET's query string (MLflow clients use both), read the way
 * MLflow's protobuf JSON writes them (64-bit numbers as numbers or strings, NaN and infinities as strings). Every
 * refusal names the field.
 */
final class MlflowRequest {

    private final JsonObject body;
    private final MultiMap query;

    private MlflowRequest(JsonObject body, MultiMap query) {
        this.body = body;
        this.query = query;
    }

    static MlflowRequest of(RoutingContext ctx) {
        if (ctx.request().method() == io.vertx.core.http.HttpMethod.GET) {
            return new MlflowRequest(null, ctx.queryParams());
        }
        String text = ctx.body() == null ? null : ctx.body().asString();
        if (text == null || text.isBlank()) {
            return new MlflowRequest(new JsonObject(), null);
        }
        try {
            return new MlflowRequest(new JsonObject(text), null);
        } catch (DecodeException | ClassCastException e) {
            throw new MlflowException(MlflowException.Code.MALFORMED_REQUEST,
                    "the request body must be a JSON object: " + e.getMessage());
        }
    }

    JsonObject body() {
        return body == null ? new JsonObject() : body;
    }

    String string(String field) {
        Object v = body != null ? body.getValue(field) : query.get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw MlflowException.invalid("field '" + field + "' must be a string, got " + v);
        }
        return v.toString();
    }

    String required(String field) {
        String v = string(field);
        if (v == null) {
            throw MlflowException.invalid("Missing value for required parameter '" + field + "'");
        }
        return v;
    }

    /** The run id a request names: {@code run_id}, or the older {@code run_uuid}. */
    String runId() {
        String id = string("run_id");
        return id != null ? id : requiredAs("run_uuid", "run_id");
    }

    private String requiredAs(String field, String shown) {
        String v = string(field);
        if (v == null) {
            throw MlflowException.invalid("Missing value for required parameter '" + shown + "'");
        }
        return v;
    }

    Long longValue(String field) {
        return longOf(field, body != null ? body.getValue(field) : query.get(field));
    }

    static Long longOf(String field, Object v) {
        if (v == null) {
            return null;
        }
        try {
            return v instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(Long.parseLong(v.toString().trim()));
        } catch (NumberFormatException e) {
            throw MlflowException.invalid("field '" + field + "' must be an integer, got '" + v + "'");
        }
    }

    static double doubleOf(String field, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            switch (s) {
                case "NaN" -> { return Double.NaN; }
                case "Infinity" -> { return Double.POSITIVE_INFINITY; }
                case "-Infinity" -> { return Double.NEGATIVE_INFINITY; }
                default -> {
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        // fall through to the refusal
                    }
                }
            }
        }
        throw MlflowException.invalid(v == null ? "Missing value for required parameter '" + field + "'"
                : "field '" + field + "' must be a number, got '" + v + "'");
    }

    /** A repeated string field: a JSON array, or a query parameter given once per value. */
    List<String> strings(String field) {
        if (body == null) {
            return query.getAll(field);
        }
        Object v = body.getValue(field);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (!(v instanceof JsonArray a)) {
            throw MlflowException.invalid("field '" + field + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : a) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** A repeated message field (a JSON array of objects); empty when absent. */
    List<JsonObject> objects(String field) {
        Object v = body == null ? null : body.getValue(field);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray a)) {
            throw MlflowException.invalid("field '" + field + "' must be a list of objects");
        }
        List<JsonObject> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!(a.getValue(i) instanceof JsonObject o)) {
                throw MlflowException.invalid("field '" + field + "[" + i + "]' must be an object");
            }
            out.add(o);
        }
        return out;
    }

    int maxResults(int byDefault, int most) {
        Long n = longValue("max_results");
        if (n == null) {
            return byDefault;
        }
        if (n < 1 || n > most) {
            throw MlflowException.invalid("max_results must be between 1 and " + most + ", got " + n);
        }
        return n.intValue();
    }

    /** The offset a {@code page_token} of this API carries (0 without one). */
    int pageOffset() {
        String token = string("page_token");
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(java.util.Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8);
            int offset = Integer.parseInt(text.substring(text.indexOf(':') + 1));
            if (!text.startsWith("offset:") || offset < 0) {
                throw new IllegalArgumentException(text);
            }
            return offset;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw MlflowException.invalid("invalid page_token '" + token + "': pass the next_page_token of a previous reply");
        }
    }

    static String pageToken(int offset) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("offset:" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
