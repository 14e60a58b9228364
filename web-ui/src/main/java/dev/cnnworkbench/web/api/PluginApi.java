package dev.cnnworkbench.web.api;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Plugin;
import dev.cnnworkbench.core.plugin.PluginInfo;
import dev.cnnworkbench.core.plugin.PluginProblem;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /api/plugins}: every installed plugin by kind then name, with its version, source ({@code builtin} or
 * the jar's file name, never a path), help and parameter schema, and the providers that could not be loaded. The
 * registry is immutable, so the answer is built once, and says so in its {@code note}: jars added later are seen
 * after a restart.
 */
public final class PluginApi {

    /** What the answer cannot show: the registry is read once, when the server starts. */
    public static final String NOTE = "Plugin jars are read when the server starts: restart `workbench serve` to use a jar"
            + " added, removed or replaced since. Of two plugins with the same kind and name the built-in one wins,"
            + " then the first jar by file name; the other is listed under problems.";

    private final JsonObject answer;

    /** @param registry the plugins this server's runs would use; {@code null}: none known */
    public PluginApi(PluginRegistry registry) {
        this.answer = registry == null ? new JsonObject().put("plugins", new JsonArray()).put("problems", new JsonArray())
                .put("note", NOTE)
                : json(registry.all(), registry.problems());
    }

    public void mount(Router router) {
        router.get("/api/plugins").handler(ctx -> ctx.json(answer));
    }

    public static JsonObject json(List<PluginInfo> plugins, List<PluginProblem> problems) {
        JsonArray failed = new JsonArray();
        problems.forEach(pr -> failed.add(new JsonObject().put("source", pr.source()).put("provider", pr.className())
                .put("message", pr.message())));
        return new JsonObject().put("plugins", describe(plugins)).put("problems", failed).put("note", NOTE);
    }

    /**
     * Plugins as the API and {@code workbench plugins --format json} list them: {@code {kind, name, version, source,
     * help, params: [{name, type, default, required, min, max, choices, help}]}}. Stateless.
     */
    public static JsonArray describe(List<PluginInfo> plugins) {
        JsonArray out = new JsonArray();
        for (PluginInfo info : plugins) {
            Plugin p = info.plugin();
            JsonArray params = new JsonArray();
            for (ParamSpec s : p.params()) {
                params.add(new JsonObject().put("name", s.name()).put("type", s.type().name().toLowerCase(Locale.ROOT))
                        .put("default", jsonValue(s.defaultValue())).put("required", s.required())
                        .put("min", s.min()).put("max", s.max())
                        .put("choices", new JsonArray(List.copyOf(s.choices()))).put("help", s.help()));
            }
            out.add(new JsonObject().put("kind", p.kind().label()).put("name", p.name()).put("version", p.version())
                    .put("source", info.source()).put("help", p.help()).put("params", params));
        }
        return out;
    }

    /** A default as JSON: numbers, booleans and strings as they are, lists as arrays, anything else as text. */
    private static Object jsonValue(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof List<?> list) {
            return new JsonArray(list.stream().map(PluginApi::jsonValue).toList());
        }
        if (v instanceof int[] a) {
            return new JsonArray(java.util.Arrays.stream(a).boxed().map(Object.class::cast).toList());
        }
        return String.valueOf(v);
    }
}
