package dev.cnnworkbench.web.mlflow;

import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.mlflow.MlflowExperiment;
import dev.cnnworkbench.storage.mlflow.MlflowExperiments;
import dev.cnnworkbench.storage.mlflow.MlflowRuns;
import dev.cnnworkbench.web.RunStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * MLflow's run endpoints: create, get, update, delete, restore, log-metric, log-parameter, set-tag, delete-tag,
 * log-batch and metrics/get-history (search is {@link RunSearch}). A run an MLflow client creates is a workbench run
 * (spec {@code {}}, provenance {@code source: mlflow}, its host the client's address, so no restart of this server
 * marks it interrupted); its metrics go through {@link MetricLogging} (epoch 0, MLflow's step and timestamp).
 */
final class RunRoutes {

    static final int MAX_KEY = 250;
    static final int MAX_PARAM_VALUE = 6_000;
    static final int MAX_TAG_VALUE = 8_000;
    static final int MAX_BATCH_METRICS = 1_000;
    static final int MAX_BATCH_PARAMS = 100;
    static final int MAX_BATCH_TAGS = 100;
    private static final Pattern KEY = Pattern.compile("[\\w.\\- /:]+", Pattern.UNICODE_CHARACTER_CLASS);

    private final MlflowApi api;
    private final RunStore store;
    private final MlflowExperiments experiments;
    private final MlflowRuns runs;
    private final RunStates states;
    private final RunSearch search;
    private final MetricLogging metrics;

    RunRoutes(MlflowApi api, RunStore store, MlflowExperiments experiments, MlflowRuns runs, MetricLogging metrics) {
        this.api = api;
        this.metrics = metrics;
        this.store = store;
        this.experiments = experiments;
        this.runs = runs;
        this.states = new RunStates(runs, api.blocking());
        this.search = new RunSearch(store, experiments, runs);
    }

    void mount(MlflowApi api) {
        api.route("runs/create", false, MlflowApi.guarded(this::create));
        api.route("runs/get", true, MlflowApi.guarded(ctx -> {
            String id = MlflowRequest.of(ctx).runId();
            api.replyAfterFlush(ctx, () -> new JsonObject().put("run", search.one(id)));
        }));
        api.route("runs/search", true, MlflowApi.guarded(ctx -> {
            MlflowRequest req = MlflowRequest.of(ctx);
            RunSearch.Request request = RunSearch.request(req);
            api.replyAfterFlush(ctx, () -> search.search(request));
        }));
        api.route("runs/update", false, MlflowApi.guarded(this::update));
        for (boolean delete : new boolean[] {true, false}) {
            api.route(delete ? "runs/delete" : "runs/restore", false, MlflowApi.guarded(ctx -> {
                String id = MlflowRequest.of(ctx).runId();
                writable(ctx, id, false, state -> api.reply(ctx, () -> {
                    runs.setDeleted(id, delete);
                    states.forget(id);
                    return new JsonObject();
                }));
            }));
        }
        api.route("runs/log-metric", false, MlflowApi.guarded(ctx -> {
            MlflowRequest req = MlflowRequest.of(ctx);
            String id = req.runId();
            MetricPoint point = point("", req.body(), new HashSet<>());
            writable(ctx, id, true, state -> metrics.log(ctx, id, List.of(point)));
        }));
        api.route("runs/log-parameter", false, MlflowApi.guarded(ctx -> {
            MlflowRequest req = MlflowRequest.of(ctx);
            String id = req.runId();
            Map<String, String> param = Map.of(checkKey("key", req.required("key")),
                    checkLength("value", req.required("value"), MAX_PARAM_VALUE));
            writable(ctx, id, true, state -> api.reply(ctx, () -> {
                runs.logParams(id, param);
                return new JsonObject();
            }));
        }));
        api.route("runs/set-tag", false, MlflowApi.guarded(ctx -> {
            MlflowRequest req = MlflowRequest.of(ctx);
            String id = req.runId();
            Map<String, String> tag = Map.of(checkKey("key", req.required("key")),
                    checkLength("value", req.string("value") == null ? "" : req.string("value"), MAX_TAG_VALUE));
            writable(ctx, id, false, state -> api.reply(ctx, () -> {
                runs.setTags(id, tag);
                return new JsonObject();
            }));
        }));
        api.route("runs/delete-tag", false, MlflowApi.guarded(ctx -> {
            MlflowRequest req = MlflowRequest.of(ctx);
            String id = req.runId();
            String key = req.required("key");
            writable(ctx, id, true, state -> api.reply(ctx, () -> {
                if (!runs.deleteTag(id, key)) {
                    throw new MlflowException(MlflowException.Code.RESOURCE_DOES_NOT_EXIST, "No tag with name: " + key
                            + " in run with id " + id);
                }
                return new JsonObject();
            }));
        }));
        api.route("runs/log-batch", false, MlflowApi.guarded(this::logBatch));
        api.route("metrics/get-history", true, MlflowApi.guarded(ctx -> {
            MlflowRequest req = MlflowRequest.of(ctx);
            String id = req.runId();
            String key = req.required("metric_key");
            int max = req.maxResults(Integer.MAX_VALUE, Integer.MAX_VALUE);
            int offset = req.pageOffset();
            api.replyAfterFlush(ctx, () -> search.history(id, key, offset, max));
        }));
        for (String path : new String[] {"runs/log-inputs", "runs/log-model"}) {
            api.route(path, false, ctx -> MlflowApi.fail(ctx, new MlflowException(
                    MlflowException.Code.NOT_IMPLEMENTED, "this server records no datasets or models of MLflow clients ("
                            + path + "); runs, params, metrics and tags are recorded")));
        }
    }

    private void create(RoutingContext ctx) {
        MlflowRequest req = MlflowRequest.of(ctx);
        long experimentId = ExperimentRoutes.id(req.string("experiment_id") == null ? "0" : req.string("experiment_id"));
        Map<String, String> tags = new LinkedHashMap<>(MlflowJson.keyValues(req.objects("tags"), "tags"));
        tags.forEach((k, v) -> {
            checkKey("tags.key", k);
            checkLength("tags.value", v, MAX_TAG_VALUE);
        });
        String runName = req.string("run_name") != null && !req.string("run_name").isBlank() ? req.string("run_name")
                : tags.get(MlflowRuns.RUN_NAME);
        tags.remove(MlflowRuns.RUN_NAME);
        tags.remove(MlflowRuns.USER);
        checkLength("run_name", runName == null ? "" : runName, 255);
        Long start = req.longValue("start_time");
        long startedAt = start == null ? System.currentTimeMillis() : start;
        String user = api.caller(ctx).name();
        String client = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        String agent = ctx.request().getHeader("User-Agent");
        api.blocking().executeBlocking(() -> experiments.byId(experimentId), false).compose(found -> {
            MlflowExperiment e = found.orElseThrow(() -> new MlflowException(MlflowException.Code.RESOURCE_DOES_NOT_EXIST, "No Experiment with id=" + experimentId + " exists"));
            if (e.deleted()) {
                throw MlflowException.invalid("The experiment " + experimentId + " must be in the 'active' state."
                        + " Current state is deleted.");
            }
            String id = UUID.randomUUID().toString().replace("-", "");
            String name = runName != null ? runName : "mlflow-" + id.substring(0, 8);
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("source", "mlflow");
            provenance.put("client", client);
            if (agent != null) {
                provenance.put("user_agent", agent);
            }
            api.vertx().eventBus().publish(Addresses.RUN_STARTED, new RunStarted(id, name, e.name(), "{}", Map.of(),
                    provenance, startedAt, 0, "mlflow client " + client, user));
            return api.flush().map(id);
        }).onComplete(ar -> {
            if (ar.failed()) {
                MlflowApi.fail(ctx, ar.cause());
                return;
            }
            String id = ar.result();
            api.reply(ctx, () -> {
                runs.setTags(id, tags);
                return new JsonObject().put("run", search.one(id));
            });
        });
    }

    private void update(RoutingContext ctx) {
        MlflowRequest req = MlflowRequest.of(ctx);
        String id = req.runId();
        String statusText = req.string("status");
        RunStatus status = statusText == null ? null : MlflowJson.status(statusText);
        if (statusText != null && status == null) {
            throw MlflowException.invalid("status must be RUNNING, SCHEDULED, FINISHED, FAILED or KILLED, got '"
                    + statusText + "'");
        }
        Long end = req.longValue("end_time");
        String name = req.string("run_name");
        if (name != null) {
            checkLength("run_name", name, 255);
        }
        writable(ctx, id, false, state -> {
            Future<Void> ended = Future.succeededFuture();
            if (status != null && status.isFinal() && RunStatus.RUNNING.name().equals(state.status())) {
                api.vertx().eventBus().publish(Addresses.RUN_ENDED, new RunEnded(id, status,
                        status == RunStatus.FINISHED ? null : "ended by its MLflow client as " + statusText,
                        end == null ? System.currentTimeMillis() : end));
                states.forget(id);
                ended = api.flush();
            }
            ended.onComplete(v -> api.reply(ctx, () -> {
                if (status == RunStatus.RUNNING && !RunStatus.RUNNING.name().equals(state.status())) {
                    runs.reopen(id);
                    states.forget(id);
                }
                if (name != null && !name.isBlank()) {
                    runs.setTags(id, Map.of(MlflowRuns.RUN_NAME, name));
                }
                return new JsonObject().put("run_info", search.one(id).getJsonObject("info"));
            }));
        });
    }

    private void logBatch(RoutingContext ctx) {
        MlflowRequest req = MlflowRequest.of(ctx);
        String id = req.runId();
        List<JsonObject> metricList = req.objects("metrics");
        if (metricList.size() > MAX_BATCH_METRICS) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_BATCH_METRICS
                    + " metrics. Got " + metricList.size() + " metrics.");
        }
        List<MetricPoint> points = new ArrayList<>(metricList.size());
        Set<String> checked = new HashSet<>(); // a batch repeats a few keys: check each once
        for (int i = 0; i < metricList.size(); i++) {
            points.add(point("metrics[" + i + "].", metricList.get(i), checked));
        }
        Map<String, String> params = MlflowJson.keyValues(req.objects("params"), "params");
        Map<String, String> tags = MlflowJson.keyValues(req.objects("tags"), "tags");
        if (params.size() > MAX_BATCH_PARAMS || tags.size() > MAX_BATCH_TAGS) {
            throw MlflowException.invalid("A batch logging request can contain at most " + MAX_BATCH_PARAMS + " params and "
                    + MAX_BATCH_TAGS + " tags. Got " + params.size() + " params and " + tags.size() + " tags.");
        }
        params.forEach((k, v) -> checkLength("params.value", v, MAX_PARAM_VALUE));
        params.keySet().forEach(k -> checkKey("params.key", k));
        tags.forEach((k, v) -> checkLength("tags.value", v, MAX_TAG_VALUE));
        tags.keySet().forEach(k -> checkKey("tags.key", k));
        writable(ctx, id, true, state -> {
            if (params.isEmpty() && tags.isEmpty()) {
                metrics.log(ctx, id, points);
                return;
            }
            api.blocking().executeBlocking(() -> {
                runs.logParams(id, params);
                runs.setTags(id, tags);
                return null;
            }, false).onComplete(ar -> {
                if (ar.failed()) {
                    MlflowApi.fail(ctx, ar.cause());
                } else {
                    metrics.log(ctx, id, points);
                }
            });
        });
    }

    /**
     * A metric of a request body ({@code key, value, timestamp, step}); {@code path} prefixes field names in errors;
     * keys in {@code checked} are known valid, and a key found valid is added.
     */
    static MetricPoint point(String path, JsonObject m, Set<String> checked) {
        Object key = m.getValue("key");
        if (!(key instanceof String k)) {
            throw MlflowException.invalid("Missing value for required parameter '" + path + "key'");
        }
        if (!checked.contains(k)) {
            checked.add(checkKey(path + "key", k));
        }
        double value = MlflowRequest.doubleOf(path + "value", m.getValue("value"));
        Long time = MlflowRequest.longOf(path + "timestamp", m.getValue("timestamp"));
        if (time == null) {
            throw MlflowException.invalid("Missing value for required parameter '" + path + "timestamp'");
        }
        Long step = MlflowRequest.longOf(path + "step", m.getValue("step"));
        return new MetricPoint(k, step == null ? 0 : step, 0, time, value);
    }

    static String checkKey(String field, String key) {
        if (key.isEmpty() || !KEY.matcher(key).matches() || key.contains("..") || key.startsWith("/")) {
            throw MlflowException.invalid("Invalid value '" + key + "' for parameter '" + field + "': names may only"
                    + " contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and"
                    + " slashes (/), and may not start with '/' nor contain '..'");
        }
        return checkLength(field, key, MAX_KEY);
    }

    static String checkLength(String field, String value, int most) {
        if (value.length() > most) {
            throw MlflowException.invalid("'" + field + "' exceeds the maximum length of " + most + " characters (got "
                    + value.length() + ")");
        }
        return value;
    }

    /**
     * Runs {@code then} on the event loop once the run is known to exist, to be the caller's (or the caller an admin)
     * and, when {@code active}, not deleted; otherwise answers the refusal.
     */
    private void writable(RoutingContext ctx, String runId, boolean active, Consumer<MlflowRuns.RunState> then) {
        MlflowCaller caller = api.caller(ctx);
        states.get(runId).onComplete(ar -> {
            if (ar.failed()) {
                MlflowApi.fail(ctx, ar.cause());
                return;
            }
            MlflowRuns.RunState state = ar.result();
            try {
                if (!caller.admin() && !caller.name().equals(state.user())) {
                    throw new MlflowException(MlflowException.Code.PERMISSION_DENIED, "run " + runId + " is "
                            + state.user() + "'s: only its owner or an admin may change it");
                }
                if (active && state.deleted()) {
                    throw MlflowException.invalid("The run " + runId + " must be in the 'active' state. Current state is"
                            + " deleted.");
                }
                then.accept(state);
            } catch (MlflowException e) {
                MlflowApi.fail(ctx, e);
            }
        });
    }
}
