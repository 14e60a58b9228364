package dev.cnnworkbench.web.mlflow;

import dev.cnnworkbench.storage.mlflow.MlflowExperiment;
import dev.cnnworkbench.storage.mlflow.MlflowExperiments;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's experiment endpoints: create, get, get-by-name, search, update (rename), delete, restore,
 * set-experiment-tag. Renaming, deleting and restoring need an admin in team mode, as they change every member's runs.
 */
final class ExperimentRoutes {

    static final int MAX_NAME = 255;
    private static final Pattern NAME_FILTER = Pattern.compile(
            "\\s*(?:attribute\\.|attributes\\.)?name\\s*(=|!=|LIKE|ILIKE)\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*", Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> ORDER = Map.of("name", "name", "experiment_id", "mlflow_id",
            "creation_time", "created_at", "last_update_time", "COALESCE(updated_at, created_at)");

    private final MlflowApi api;
    private final MlflowExperiments store;

    ExperimentRoutes(MlflowApi api, MlflowExperiments store) {
        this.api = api;
        this.store = store;
    }

    void mount(MlflowApi api) {
        api.route("experiments/create", false, MlflowApi.guarded(this::create));
        api.route("experiments/get", true, MlflowApi.guarded(ctx -> {
            long id = id(MlflowRequest.of(ctx).required("experiment_id"));
            api.reply(ctx, () -> new JsonObject().put("experiment", MlflowJson.experiment(find(id))));
        }));
        api.route("experiments/get-by-name", true, MlflowApi.guarded(ctx -> {
            String name = MlflowRequest.of(ctx).required("experiment_name");
            api.reply(ctx, () -> new JsonObject().put("experiment", MlflowJson.experiment(store.byName(name).orElseThrow(() ->
                    new MlflowException(MlflowException.Code.RESOURCE_DOES_NOT_EXIST, "Could not find experiment with name"
                            + " '" + name + "'")))));
        }));
        api.route("experiments/search", true, MlflowApi.guarded(this::search));
        api.route("experiments/update", false, MlflowApi.guarded(ctx -> {
            MlflowRequest req = MlflowRequest.of(ctx);
            long id = id(req.required("experiment_id"));
            String name = name(req.required("new_name"));
            admin(ctx, "rename");
            api.reply(ctx, () -> {
                if (store.byName(name).isPresent()) {
                    throw new MlflowException(MlflowException.Code.RESOURCE_ALREADY_EXISTS, "Experiment '" + name
                            + "' already exists.");
                }
                if (!store.rename(id, name)) {
                    throw MlflowException.missing("Experiment", Long.toString(id));
                }
                return new JsonObject();
            });
        }));
        for (boolean delete : new boolean[] {true, false}) {
            api.route(delete ? "experiments/delete" : "experiments/restore", false, MlflowApi.guarded(ctx -> {
                long id = id(MlflowRequest.of(ctx).required("experiment_id"));
                admin(ctx, delete ? "delete" : "restore");
                if (delete && id == 0) {
                    throw MlflowException.invalid("Cannot delete the default experiment '0'.");
                }
                api.reply(ctx, () -> {
                    if (!store.setDeleted(id, delete)) {
                        throw MlflowException.missing("Experiment", Long.toString(id));
                    }
                    return new JsonObject();
                });
            }));
        }
        api.route("experiments/set-experiment-tag", false, MlflowApi.guarded(ctx -> {
            MlflowRequest req = MlflowRequest.of(ctx);
            long id = id(req.required("experiment_id"));
            String key = req.required("key");
            String value = req.string("value") == null ? "" : req.string("value");
            RunRoutes.checkKey("key", key);
            RunRoutes.checkLength("value", value, RunRoutes.MAX_TAG_VALUE);
            api.reply(ctx, () -> {
                if (!store.setTag(id, key, value)) {
                    throw MlflowException.missing("Experiment", Long.toString(id));
                }
                return new JsonObject();
            });
        }));
    }

    private void create(RoutingContext ctx) {
        MlflowRequest req = MlflowRequest.of(ctx);
        String name = name(req.required("name"));
        Map<String, String> tags = MlflowJson.keyValues(req.objects("tags"), "tags");
        String user = api.caller(ctx).name();
        api.reply(ctx, () -> {
            MlflowExperiments.Created created = store.create(name, user, tags);
            if (created.existed()) {
                throw new MlflowException(MlflowException.Code.RESOURCE_ALREADY_EXISTS, "Experiment '" + name
                        + "' already exists.");
            }
            return new JsonObject().put("experiment_id", Long.toString(created.id()));
        });
    }

    private void search(RoutingContext ctx) {
        MlflowRequest req = MlflowRequest.of(ctx);
        int max = req.maxResults(1000, 50_000);
        int offset = req.pageOffset();
        List<String> stages = switch (req.string("view_type") == null ? "ACTIVE_ONLY" : req.string("view_type")) {
            case "ACTIVE_ONLY", "1" -> List.of("active");
            case "DELETED_ONLY", "2" -> List.of("deleted");
            case "ALL", "3" -> List.of("active", "deleted");
            default -> throw MlflowException.invalid("view_type must be ACTIVE_ONLY, DELETED_ONLY or ALL, got '"
                    + req.string("view_type") + "'");
        };
        String like = nameLike(req.string("filter"));
        String order = order(req.strings("order_by"));
        api.reply(ctx, () -> {
            List<MlflowExperiment> page = store.search(like, stages, order, offset, max + 1);
            JsonArray list = new JsonArray();
            page.stream().limit(max).forEach(e -> list.add(MlflowJson.experiment(e)));
            JsonObject out = new JsonObject().put("experiments", list);
            if (page.size() > max) {
                out.put("next_page_token", MlflowRequest.pageToken(offset + max));
            }
            return out;
        });
    }

    /** An SQL LIKE pattern for MLflow's experiment filter ({@code name = 'x'}, {@code name LIKE 'x%'}); null: none. */
    static String nameLike(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        Matcher m = NAME_FILTER.matcher(filter);
        if (!m.matches()) {
            throw MlflowException.invalid("invalid experiment filter '" + filter + "': this server filters experiments by"
                    + " name only (name = 'x', name LIKE 'x%')");
        }
        String value = m.group(2).replaceAll("\\\\(.)", "$1");
        return switch (m.group(1).toUpperCase(Locale.ROOT)) {
            case "=" -> value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            case "LIKE" -> value;
            default -> throw MlflowException.invalid("experiment filter: only name = and name LIKE are supported, not "
                    + m.group(1));
        };
    }

    static String order(List<String> orderBy) {
        if (orderBy.isEmpty()) {
            return "created_at DESC, mlflow_id";
        }
        StringBuilder sql = new StringBuilder();
        for (String o : orderBy) {
            String[] parts = o.trim().split("\\s+");
            String column = ORDER.get(parts[0].replaceFirst("^attributes?\\.", ""));
            if (column == null || parts.length > 2 || (parts.length == 2 && !parts[1].matches("(?i)ASC|DESC"))) {
                throw MlflowException.invalid("invalid order_by '" + o + "': use name, experiment_id, creation_time or"
                        + " last_update_time, then ASC or DESC");
            }
            sql.append(column).append(parts.length == 2 ? " " + parts[1].toUpperCase(Locale.ROOT) : "").append(", ");
        }
        return sql.append("mlflow_id").toString();
    }

    MlflowExperiment find(long id) {
        return store.byId(id).orElseThrow(() -> new MlflowException(MlflowException.Code.RESOURCE_DOES_NOT_EXIST, "No Experiment with id=" + id + " exists"));
    }

    static long id(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw MlflowException.invalid("experiment_id must be a number, got '" + text + "'");
        }
    }

    static String name(String name) {
        if (name.isBlank()) {
            throw MlflowException.invalid("Invalid experiment name: must not be empty");
        }
        RunRoutes.checkLength("name", name, MAX_NAME);
        return name;
    }

    private void admin(RoutingContext ctx, String what) {
        if (!api.caller(ctx).admin()) {
            throw new MlflowException(MlflowException.Code.PERMISSION_DENIED, "only an admin may " + what
                    + " an experiment: it changes the runs of everyone in it");
        }
    }
}
