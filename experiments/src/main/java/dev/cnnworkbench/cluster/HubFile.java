package dev.cnnworkbench.cluster;

import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.env.PrivateFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code HOME/hub.json}: how the process that owns a home's store (its hub) tells the other workbench processes of
 * that home where to join it. Written owner-only and atomically once the hub is a cluster member, removed when it
 * stops; a file whose process is gone is stale and taken over.
 *
 * @param join     the hub's join address, {@code HOST:PORT} (its Hazelcast membership port)
 * @param pid      the hub's process
 * @param host     the machine the hub runs on
 * @param database the URL of the database the hub owns
 * @param key      the fingerprint of the cluster key the hub's bus speaks with ({@link ClusterKey#fingerprint()})
 * @param command  what the hub is, for people: {@code workbench serve at URL}, {@code workbench run}, ...
 */
public record HubFile(String join, long pid, String host, String database, String key, String command) {

    public static final String NAME = "hub.json";

    public HubFile {
        ClusterOptions.joinAddress(join);
    }

    public static Path path(Path home) {
        return home.resolve(NAME);
    }

    /** The hub file of {@code home}; null when there is none. Fails (IOException) when it cannot be read or parsed. */
    public static HubFile read(Path home) throws IOException {
        String text;
        try {
            text = Files.readString(path(home), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            JsonObject json = new JsonObject(text);
            return new HubFile(json.getString("join"), json.getLong("pid"), json.getString("host", ""),
                    json.getString("database", ""), json.getString("key", ""), json.getString("command", "workbench"));
        } catch (DecodeException | ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IOException(path(home) + " is not a hub file: " + e.getMessage(), e);
        }
    }

    /** Writes this as {@code home}'s hub file: owner-only, to a temporary name then moved into place. */
    public void write(Path home) throws IOException {
        PrivateFiles.writeAtomically(path(home), new JsonObject().put("join", join).put("pid", pid).put("host", host)
                .put("database", database).put("key", key).put("command", command).encodePrettily());
    }

    /** Removes {@code home}'s hub file if it is still this one (a newer hub's file is left alone). */
    public void deleteFrom(Path home) {
        try {
            HubFile current = read(home);
            if (current != null && current.pid == pid && current.join.equals(join)) {
                Files.deleteIfExists(path(home));
            }
        } catch (IOException e) {
            System.err.println("warning: cannot remove " + path(home) + ": " + e.getMessage());
        }
    }

    /** Whether the hub runs on this machine (its pid can be checked). */
    public boolean onThisMachine() {
        return host.isEmpty() || host.equals(ThisMachine.NAME);
    }

    /** Whether the hub's process still runs; true when it runs on another machine (which cannot be checked here). */
    public boolean processAlive() {
        return !onThisMachine() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public String toString() {
        return command + " (pid " + pid + (onThisMachine() ? "" : " on " + host) + ", hub at " + join + ")";
    }

    private static final class ThisMachine {
        static final String NAME = Host.name();
    }
}
