package dev.cnnworkbench.web.auth;

import io.vertx.ext.web.RoutingContext;

/**
 * Who sent a request, as {@link AccessControl} established it before any route ran: every handler after it finds
 * one in the routing context ({@link #of}). Without team mode every request is the server's own user, an admin.
 *
 * @param name  the user name, what runs started by this caller record as their user
 * @param admin whether the caller may change every run
 * @param via   how the caller was recognised
 */
public record Caller(String name, boolean admin, Via via) {

    /** How a caller was recognised. */
    public enum Via {
        /** No team mode: the single user of a local server. */
        LOCAL,
        /** A browser session (cookie); state-changing requests also carry its CSRF token. */
        SESSION,
        /** A personal API token in {@code Authorization: Bearer}. */
        TOKEN
    }

    public static final String KEY = "workbench.caller";

    /** The caller of a request that passed {@link AccessControl}. */
    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(KEY);
        if (caller == null) {
            throw new IllegalStateException("no caller: AccessControl must run before " + ctx.normalizedPath());
        }
        return caller;
    }
}
