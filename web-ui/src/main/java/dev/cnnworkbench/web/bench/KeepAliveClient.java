package dev.cnnworkbench.web.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's HTTP client for calls in a row: Vert.x's own client on one kept-alive HTTP/1.1 connection, one request
 * at a time, the caller blocked until the reply. Chosen so that a benchmark of calls in a row measures the server's cost
 * per call rather than its client's (the JDK's HttpClient spends several times the server's CPU per call handing each
 * request between its threads). Call it from a thread that is not one of Vert.x's; not for concurrent use; close it
 * when done.
 */
final class KeepAliveClient implements AutoCloseable {

    /** A reply: its status and body. */
    record Reply(int status, String body) {
    }

    private final HttpClientAgent http;

    KeepAliveClient(Vertx vertx, String host, int port) {
        this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
                .setKeepAlive(true).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(1));
    }

    /** POSTs a JSON body to {@code path} with the extra header lines given ({@code "Name: value"}), and reads the reply. */
    Reply post(String path, String json, String... headers) throws IOException {
        try {
            return http.request(HttpMethod.POST, path).compose(request -> {
                request.putHeader("Content-Type", "application/json");
                for (String h : headers) {
                    int colon = h.indexOf(':');
                    request.putHeader(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                }
                return request.send(json).compose(response -> response.body()
                        .map(body -> new Reply(response.statusCode(), body.toString())));
            }).await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("POST " + path + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close().await();
    }
}
