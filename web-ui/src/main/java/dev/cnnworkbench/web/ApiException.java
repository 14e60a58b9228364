package dev.cnnworkbench.web;

import dev.cnnworkbench.web.api.ApiJson;
import io.vertx.core.json.JsonObject;

/**
 * A request the API refuses, with the HTTP status and a message meant for the person who sent it.
 * Rendered as {@code {"error": message, "path": path}}; {@code path} is the JSON path of the
 * offending field when a request body is at fault, else {@code null}.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String path;
    private final transient JsonObject details;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public ApiException(int status, String message, String path) {
        this(status, message, path, null);
    }

    /** @param details more fields for the error object (such as a filter's {@code position}); {@code null}: none */
    public ApiException(int status, String message, String path, JsonObject details) {
        super(message, null, false, false);
        this.status = status;
        this.path = path;
        this.details = details == null ? null : details.copy();
    }

    /** The error object the response carries: {@code {"error": ..., "path": ...}} plus the details. */
    public JsonObject toJson() {
        JsonObject json = ApiJson.error(getMessage(), path);
        if (details != null) {
            details.forEach(e -> json.put(e.getKey(), e.getValue()));
        }
        return json;
    }

    public int status() {
        return status;
    }

    public String path() {
        return path;
    }
}
