package dev.cnnworkbench.web.auth;

import dev.cnnworkbench.storage.RunChanges;
import dev.cnnworkbench.web.ApiException;
import dev.cnnworkbench.web.api.RunApi;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The one rule for changing a recorded run: everyone may read every run, but only its owner (the user the run
 * recorded) or an admin may rename it, tag it, annotate it or delete it. {@link #mount} installs that rule in front of
 * every state-changing route under {@code /api/runs/ID} ({@code PUT}, {@code PATCH}, {@code POST}, {@code DELETE} of
 * {@code /api/runs/ID} and {@code /api/runs/ID/...}), whichever class serves the route; a route added there later is
 * covered without a change here. Starting a run ({@code POST /api/runs}) is not a change of a run and is not
 * guarded. A refusal is 403 naming the owner; an unknown run is 404. Admins (and the single user of a server without
 * team mode) pass without a lookup; anyone else's request looks the run up on a worker thread.
 */
public final class RunPermissions {

    public static final String GUARDED = "/api/runs/[^/]+(/.*)?";

    private final RunChanges changes;
    private final WorkerExecutor blocking;

    /** @param changes where a run's owner is looked up; {@code null} when this server changes no runs */
    public RunPermissions(RunChanges changes, WorkerExecutor blocking) {
        this.changes = changes;
        this.blocking = blocking;
    }

    /** Whether {@code caller} may change a run recorded by {@code owner} (which may be {@code null}: admins only). */
    public static boolean mayChange(Caller caller, String owner) {
        return caller.admin() || (owner != null && owner.equals(caller.name()));
    }

    /** Refuses (403) unless {@code caller} may change run {@code runId} of {@code owner}. */
    public static void require(Caller caller, String runId, String owner) {
        if (!mayChange(caller, owner)) {
            throw new ApiException(403, "only the owner of run '" + runId + "' (" + (owner == null ? "nobody recorded" : owner)
                    + ") or an admin may change it; you are " + caller.name());
        }
    }

    public void mount(Router router) {
        router.routeWithRegex(GUARDED).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.POST)
                .method(HttpMethod.DELETE).handler(this::guard);
    }

    private void guard(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        if (caller.admin()) {
            ctx.next();
            return;
        }
        String id = RunApi.runId(ctx.normalizedPath().split("/")[3]);
        if (changes == null) {
            throw new ApiException(503, "this server cannot change runs");
        }
        blocking.executeBlocking(() -> changes.owner(id), false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                ctx.fail(new ApiException(404, "no run with id '" + id + "'"));
            } else {
                try {
                    require(caller, id, ar.result().get().user());
                    ctx.next();
                } catch (ApiException e) {
                    ctx.fail(e);
                }
            }
        });
    }
}
