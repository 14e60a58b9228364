package dev.cnnworkbench.web.mlflow;

import io.vertx.core.json.JsonObject;

/**
 * A request the MLflow API refuses, answered in MLflow's shape {@code {"error_code": CODE, "message": ...}} with the
 * HTTP status MLflow's own server gives that code.
 */
final class MlflowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** MLflow's error codes (databricks.proto) this API uses, with their HTTP status. */
    enum Code {
        INVALID_PARAMETER_VALUE(400), MALFORMED_REQUEST(400), BAD_REQUEST(400), INVALID_STATE(400),
        RESOURCE_ALREADY_EXISTS(400), RESOURCE_DOES_NOT_EXIST(404), ENDPOINT_NOT_FOUND(404), PERMISSION_DENIED(403),
        UNAUTHENTICATED(401), NOT_IMPLEMENTED(501), TEMPORARILY_UNAVAILABLE(503), INTERNAL_ERROR(500);

        final int status;

        Code(int status) {
            this.status = status;
        }
    }

    private final Code code;

    MlflowException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static MlflowException invalid(String message) {
        return new MlflowException(Code.INVALID_PARAMETER_VALUE, message);
    }

    static MlflowException missing(String what, String id) {
        return new MlflowException(Code.RESOURCE_DOES_NOT_EXIST, what + " with id=" + id + " not found");
    }

    Code code() {
        return code;
    }

    JsonObject toJson() {
        return new JsonObject().put("error_code", code.name()).put("message", getMessage());
    }
}
