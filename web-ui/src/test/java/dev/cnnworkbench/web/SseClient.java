package dev.cnnworkbench.web;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a server-sent event stream on a background thread; events queue up with their arrival time. */
final class SseClient implements AutoCloseable {

    record Event(String name, JsonObject data, long receivedNanos) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    SseClient(HttpClient http, String url) throws Exception {
        response = http.sendAsync(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> r = response.get(10, TimeUnit.SECONDS);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("stream answered " + r.statusCode());
        }
        Thread reader = new Thread(() -> {
            try {
                read(r.body());
            } catch (java.io.UncheckedIOException closed) {
                // the test closed the stream
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Stream<String> lines) {
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line : (Iterable<String>) lines::iterator) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    events.add(new Event(name, new JsonObject(data.toString()), System.nanoTime()));
                }
                name = "message";
                data.setLength(0);
            } else if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
    }

    /** The next event, or fails after {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return e;
    }

    /** Events until (and including) the first named {@code last}. */
    List<Event> until(String last, Duration timeout) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event e = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            out.add(e);
            if (e.name().equals(last)) {
                return out;
            }
        }
    }

    /** Events that arrive within {@code window}. */
    List<Event> drain(Duration window) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        Event e;
        while ((e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            out.add(e);
        }
        return out;
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
    }
}
