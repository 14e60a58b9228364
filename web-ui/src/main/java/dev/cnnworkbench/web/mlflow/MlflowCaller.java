package dev.cnnworkbench.web.mlflow;

/**
 * Who sent an MLflow request, as the server's access control established it (a token's user in team mode, the
 * server's own user otherwise): runs it creates are its, and it may change its own runs, or every run when admin.
 */
public record MlflowCaller(String name, boolean admin) {
}
