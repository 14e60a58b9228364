package dev.cnnworkbench.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunWarning;
import dev.cnnworkbench.storage.RunProcessWatch;
import dev.cnnworkbench.storage.ArtifactPaths;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/ingest}: how a client that cannot join the hub's event bus (a script, another language: not a
 * workbench process, which joins the bus, see {@code dev.cnnworkbench.storage.HubIngest}) hands runs to the process
 * that owns the database. The body is one envelope {@code {"type": ..., "body": ...}} or a JSON array of them, each
 * type one of {@link IngestType} ({@code run-started}, {@code metrics}, {@code run-warning}, {@code run-artifact},
 * {@code run-ended}) and its body that bus record as JSON. They are checked all first (an artifact's path must be
 * {@linkplain ArtifactPaths#isSafe safe}), then published on this server's event bus, in order, at the
 * {@link Addresses} a trainer in this process would use, so the storage persists them and the live stream shows
 * them exactly as a local run.
 *
 * <p>Authentication: header {@value #TOKEN_HEADER} must equal the token this server was given (compared in
 * constant time); otherwise 401. Durability: when the request holds a {@code run-ended}, or asks with
 * {@code ?flush=true}, the reply waits for the storage's {@link Addresses#STORAGE_FLUSH}, so an acknowledged end is
 * in the database; if the storage cannot confirm, the reply is 503 (the events are accepted all the same).
 * Retries: an envelope may carry {@code "source"} (the sending process's id) and {@code "seq"} (increasing per
 * source); an envelope whose seq was already accepted from its source is skipped, so resending a batch whose
 * reply was lost stores nothing twice. Reply: {@code {"accepted": n, "skipped": n, "durable": bool}}.
 *
 * <p>Runs started through here by a process of this machine are watched: if that process is gone without
 * sending its run's end, the run is ended {@code INTERRUPTED}, as the next start would do for a local run.
 * Threading: everything runs on the web verticle's event loop.
 */
final class IngestHandler {

    static final String PATH = "/api/ingest";
    static final String TOKEN_HEADER = "X-Workbench-Token";
    /** Request body limit for this route: batches of metric points are larger than API requests. */
    static final long BODY_LIMIT = 8L * 1024 * 1024;
    static final long WATCH_MILLIS = 5_000;
    static final long FLUSH_TIMEOUT_MILLIS = 60_000;
    private static final int MAX_SOURCES = 1_024;
    private static final int MAX_SOURCE_LENGTH = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One checked envelope: its bus address and record, and where it came from (source null when not given). */
    private record Event(String address, Record body, String source, long seq) {
    }

    private final Vertx vertx;
    private final byte[] token;
    /** The last seq accepted per source, the least recently used dropped beyond {@link #MAX_SOURCES}. */
    private final Map<String, Long> lastSeq = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    /** Runs started through here by a process of this machine and not ended yet: run id to pid. */
    private final RunProcessWatch processes;
    private long watchTimer = -1;

    /** {@code token} null: the route answers 404 (ingest disabled). {@code host}: this machine's name, as runs record it. */
    IngestHandler(Vertx vertx, String token, String host) {
        this.vertx = vertx;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.processes = new RunProcessWatch(host);
    }

    void mount(Router router) {
        if (token == null) {
            router.route(PATH).handler(ctx -> ctx.fail(new ApiException(404, "this server does not accept runs from"
                    + " other processes (started without an ingest token)")));
            return;
        }
        // two routes: Vert.x wants a route's body handler first, and the token is checked before the body is read
        router.post(PATH).handler(this::authenticate);
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(this::ingest);
        watchTimer = vertx.setPeriodic(WATCH_MILLIS, id -> processes.endTheOrphans(vertx.eventBus()));
    }

    void stop() {
        if (watchTimer != -1) {
            vertx.cancelTimer(watchTimer);
        }
    }

    /** Before the body is read: a request without the right token never gets its body buffered. */
    private void authenticate(RoutingContext ctx) {
        String given = ctx.request().getHeader(TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            ctx.fail(new ApiException(401, "missing or wrong " + TOKEN_HEADER + " header (the token is in the"
                    + " server.json of the home this server serves)"));
            return;
        }
        ctx.next();
    }

    private void ingest(RoutingContext ctx) {
        List<Event> events = decode(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        int accepted = 0;
        int skipped = 0;
        boolean ends = "true".equals(ctx.queryParams().get("flush"));
        for (Event e : events) {
            ends |= e.body() instanceof RunEnded;
            if (e.source() != null) {
                Long last = lastSeq.get(e.source());
                if (last != null && e.seq() <= last) {
                    skipped++;
                    continue;
                }
                lastSeq.put(e.source(), e.seq());
            }
            processes.track(e.body());
            vertx.eventBus().publish(e.address(), e.body());
            accepted++;
        }
        JsonObject reply = new JsonObject().put("accepted", accepted).put("skipped", skipped);
        int published = accepted;
        if (!ends) {
            answer(ctx, reply.put("durable", false));
            return;
        }
        vertx.eventBus().request(Addresses.STORAGE_FLUSH, "", new DeliveryOptions().setSendTimeout(FLUSH_TIMEOUT_MILLIS))
                .onSuccess(m -> answer(ctx, reply.put("durable", true)))
                .onFailure(e -> ctx.fail(new ApiException(503, "the " + published + " events are accepted, but the"
                        + " database has not confirmed them yet (" + e.getMessage() + "); send them again to wait")));
    }

    private static void answer(RoutingContext ctx, JsonObject json) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .end(json.encode());
    }

    /** Every envelope checked and decoded before any is published: a bad batch publishes nothing. */
    private static List<Event> decode(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new ApiException(400, "the body is not JSON: " + original(e));
        }
        if (root == null || !(root.isArray() || root.isObject())) {
            throw new ApiException(400, "the body must be an event {\"type\": ..., \"body\": ...} or an array of them");
        }
        List<Event> events = new ArrayList<>();
        if (root.isObject()) {
            events.add(event(root, ""));
        } else {
            for (int i = 0; i < root.size(); i++) {
                events.add(event(root.get(i), "[" + i + "]"));
            }
        }
        return events;
    }

    private static Event event(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new ApiException(400, "an event must be an object {\"type\": ..., \"body\": ...}", at(path, ""));
        }
        JsonNode typeNode = node.get("type");
        IngestType type = IngestType.byWireName(typeNode == null || !typeNode.isTextual() ? "" : typeNode.asText())
                .orElseThrow(() -> new ApiException(400, "type must be one of " + IngestType.wireNames(), at(path, "type")));
        JsonNode body = node.get("body");
        if (body == null || !body.isObject()) {
            throw new ApiException(400, "body must be an object: the " + type.wireName() + " record", at(path, "body"));
        }
        Record record;
        try {
            record = MAPPER.treeToValue(body, type.type());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ApiException(400, "cannot read the " + type.wireName() + " record: " + original(e), at(path, "body"));
        }
        check(record, type.runId(record), path);
        JsonNode source = node.get("source");
        JsonNode seq = node.get("seq");
        if (source == null && seq == null) {
            return new Event(type.address(), record, null, 0);
        }
        if (source == null || !source.isTextual() || source.asText().isEmpty() || source.asText().length() > MAX_SOURCE_LENGTH) {
            throw new ApiException(400, "source must be a string of 1 to " + MAX_SOURCE_LENGTH + " characters when seq is"
                    + " given", at(path, "source"));
        }
        if (seq == null || !seq.canConvertToLong() || !seq.isIntegralNumber() || seq.asLong() < 0) {
            throw new ApiException(400, "seq must be a whole number >= 0 when source is given", at(path, "seq"));
        }
        return new Event(type.address(), record, source.asText(), seq.asLong());
    }

    /** The fields the database needs, present; an artifact's path safe (see {@link ArtifactPaths}). */
    private static void check(Record record, String runId, String path) {
        required(runId, "runId", path);
        if (record instanceof RunEnded end && end.status() == null) {
            throw new ApiException(400, "status is required", at(path, "body.status"));
        }
        if (record instanceof RunWarning w) {
            required(w.kind(), "kind", path);
            required(w.message(), "message", path);
        }
        if (record instanceof EnsembleRecorded e) {
            required(e.ensembleId(), "ensembleId", path);
            if (e.members() == null || e.members().isEmpty() || e.byMembers() == null) {
                throw new ApiException(400, "members and byMembers are required", at(path, "body.members"));
            }
        }
        if (record instanceof RunArtifact a) {
            required(a.kind(), "kind", path);
            required(a.name(), "name", path);
            required(a.sha256(), "sha256", path);
            if (!ArtifactPaths.isSafe(a.path())) {
                throw new ApiException(400, "path must be relative to the artifacts folder, '/'-separated, without"
                        + " '.' or '..' segments", at(path, "body.path"));
            }
        }
    }

    private static void required(String value, String field, String path) {
        if (value == null || value.isBlank()) {
            throw new ApiException(400, field + " is required", at(path, "body." + field));
        }
    }

    private static String at(String path, String field) {
        String p = path.isEmpty() ? field : field.isEmpty() ? path : path + "." + field;
        return p.isEmpty() ? null : p;
    }

    private static String original(Exception e) {
        if (e instanceof JsonProcessingException j) {
            return j.getOriginalMessage();
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(cause.getMessage());
    }
}
