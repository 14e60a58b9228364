package dev.cnnworkbench.web;

/**
 * A request the API refuses, with the HTTP status and a message meant for the person who sent it.
 * Rendered as {@code {"error": message, "path": path}}; {@code path} is the JSON path of the
 * offending field when a request body is at fault, else {@code null}.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String path;

    ApiException(int status, String message) {
        this(status, message, null);
    }

    ApiException(int status, String message, String path) {
        super(message, null, false, false);
        this.status = status;
        this.path = path;
    }

    int status() {
        return status;
    }

    String path() {
        return path;
    }
}
