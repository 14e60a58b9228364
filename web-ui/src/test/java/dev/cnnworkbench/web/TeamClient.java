package dev.cnnworkbench.web;

import dev.cnnworkbench.web.auth.AccessControl;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client of a test server as a browser or a script would be: after {@link #login} it sends the session cookie and,
 * with state-changing requests, the CSRF token it got; with {@link #bearer} it sends a personal API token instead.
 * Extra headers (an {@code Origin}) go with every request. Never follows redirects.
 */
final class TeamClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();
    String cookie;
    String csrf;
    boolean sendCsrf = true;

    TeamClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String origin() {
        return base;
    }

    TeamClient header(String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    TeamClient bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    /** Logs in; on success keeps the session cookie and CSRF token. */
    HttpResponse<String> login(String name, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", "/api/login", new JsonObject().put("name", name).put("password", password).encode());
        if (r.statusCode() == 200) {
            cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
            csrf = new JsonObject(r.body()).getString("csrfToken");
        }
        return r;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf != null && sendCsrf && !method.equals("GET")) {
            b.header(AccessControl.CSRF_HEADER, csrf);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens the live stream and returns its status and content type, then lets it go. */
    String stream() throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/stream")).header("Accept", "text/event-stream");
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        headers.forEach(b::header);
        HttpResponse<java.io.InputStream> r = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofInputStream())
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        String type = r.headers().firstValue("Content-Type").orElse("");
        String body = r.statusCode() == 200 ? "" : new String(r.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        r.body().close();
        return r.statusCode() + " " + type + " " + body;
    }

    static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }
}
