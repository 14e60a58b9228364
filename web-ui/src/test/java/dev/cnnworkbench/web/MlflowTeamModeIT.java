package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.storage.PasswordHashes;
import dev.cnnworkbench.storage.UserAccounts;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The MLflow API in team mode: MLflow's Java client sends a personal API token as {@code Authorization: Bearer} (what
 * {@code MLFLOW_TRACKING_TOKEN} does), its runs are the token's user's, and nobody else but an admin may change them;
 * no token is 401; a browser session still needs its CSRF token to change anything.
 */
class MlflowTeamModeIT {

    static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path home;
    static TestStack stack;
    static UserAccounts users;
    static String url;

    @BeforeAll
    static void start() {
        stack = TestStack.start(home, (server, db) -> {
            users = new UserAccounts(db, new PasswordHashes(1_000));
            return server.withTeamMode(users);
        });
        users.add("alice", PASSWORD.toCharArray(), true);
        users.add("bob", PASSWORD.toCharArray(), false);
        users.add("carol", PASSWORD.toCharArray(), false);
        url = "http://127.0.0.1:" + stack.server.port();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static MlflowClient client(String user) {
        return new MlflowClient(new BasicMlflowHostCreds(url, users.newToken(user, "mlflow")));
    }

    @Test
    void runsBelongToTheTokensUserAndOnlyTheyOrAnAdminChangeThem() throws Exception {
        MlflowClient bob = client("bob");
        Service.RunInfo run = bob.createRun(Service.CreateRun.newBuilder().setExperimentId("0").setUserId("someone-else")
                .build());
        assertThat(run.getUserId()).isEqualTo("bob");
        bob.logMetric(run.getRunId(), "loss", 0.5);
        JsonObject wb = new JsonObject(new TeamClient(stack.server.port()).bearer(users.newToken("bob", null))
                .get("/api/runs/" + run.getRunId()).body());
        assertThat(wb.getString("user")).isEqualTo("bob");

        assertThatThrownBy(() -> client("carol").logMetric(run.getRunId(), "loss", 0.4))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(403);
                    assertThat(e.getBodyMessage()).contains("PERMISSION_DENIED", "bob");
                });
        client("alice").setTag(run.getRunId(), "reviewed", "by alice");
        assertThat(bob.getRun(run.getRunId()).getData().getTagsList()).extracting(Service.RunTag::getKey).contains("reviewed");
    }

    @Test
    void withoutATokenTheApiIs401AndABrowserSessionNeedsItsCsrfToken() throws Exception {
        HttpResponse<String> anonymous = new TeamClient(stack.server.port()).send("POST",
                "/api/2.0/mlflow/experiments/create", "{\"name\": \"nobody\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);

        TeamClient browser = new TeamClient(stack.server.port());
        assertThat(browser.login("bob", PASSWORD).statusCode()).isEqualTo(200);
        browser.sendCsrf = false;
        assertThat(browser.send("POST", "/api/2.0/mlflow/experiments/create", "{\"name\": \"from-a-page\"}").statusCode())
                .isEqualTo(403);
        browser.sendCsrf = true;
        HttpResponse<String> ok = browser.send("POST", "/api/2.0/mlflow/experiments/create", "{\"name\": \"from-a-page\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(new JsonObject(ok.body()).getString("experiment_id")).matches("[0-9]+");
    }
}
