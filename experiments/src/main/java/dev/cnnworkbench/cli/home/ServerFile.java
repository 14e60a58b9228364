package dev.cnnworkbench.cli.home;

import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.env.PrivateFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * {@code HOME/server.json}: how a {@code workbench serve} tells the other processes of its home that it owns
 * the database and where to send their runs. Written (owner-only, atomically) once the server listens, removed
 * when it stops; a file whose process is gone is stale.
 *
 * @param url      the server's base URL, ending in {@code /}, reachable from this machine
 * @param pid      the server's process
 * @param token    the secret a client sends in {@code X-Workbench-Token} to {@code POST /api/ingest}
 * @param host     the machine the server runs on
 * @param database the URL of the database the server owns
 * @param tlsCert  the PEM certificate the server speaks HTTPS with (absolute path), which clients trust and nothing
 *                 else ({@link TlsTrust}); {@code null} for plain HTTP
 */
public record ServerFile(String url, long pid, String token, String host, String database, String tlsCert) {

    static final String NAME = "server.json";
    static final String TOKEN_HEADER = "X-Workbench-Token";
    static final String INGEST_PATH = "api/ingest";

    public ServerFile {
        if (!url.endsWith("/")) {
            url = url + "/";
        }
    }

    /** A plain-HTTP server's file. */
    ServerFile(String url, long pid, String token, String host, String database) {
        this(url, pid, token, host, database, null);
    }

    public static Path path(Path home) {
        return home.resolve(NAME);
    }

    /** A fresh secret: 32 random bytes in hex. */
    static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The server file of {@code home}; null when there is none. Fails (IOException) when it cannot be read or parsed. */
    public static ServerFile read(Path home) throws IOException {
        String text;
        try {
            text = Files.readString(path(home), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            JsonObject json = new JsonObject(text);
            ServerFile file = new ServerFile(json.getString("url"), json.getLong("pid"), json.getString("token"),
                    json.getString("host", ""), json.getString("database", ""), json.getString("tlsCert"));
            if (file.url() == null || file.token() == null) {
                throw new IOException(path(home) + " lacks its url or token");
            }
            return file;
        } catch (DecodeException | ClassCastException | NullPointerException e) {
            throw new IOException(path(home) + " is not a server file: " + e.getMessage(), e);
        }
    }

    /** Writes this as {@code home}'s server file: readable by the owner only, to a temporary name then moved into place. */
    void write(Path home) throws IOException {
        PrivateFiles.writeAtomically(path(home), new JsonObject().put("url", url).put("pid", pid).put("token", token)
                .put("host", host).put("database", database).put("tlsCert", tlsCert).encodePrettily());
    }

    /** Removes {@code home}'s server file if it is still this one (a newer server's file is left alone). */
    void deleteFrom(Path home) {
        try {
            ServerFile current = read(home);
            if (current != null && current.sameServer(this)) {
                Files.deleteIfExists(path(home));
            }
        } catch (IOException e) {
            System.err.println("warning: cannot remove " + path(home) + ": " + e.getMessage());
        }
    }

    boolean sameServer(ServerFile other) {
        return other != null && pid == other.pid && url.equals(other.url) && token.equals(other.token);
    }

    boolean onThisMachine() {
        return host.isEmpty() || host.equals(ThisMachine.NAME);
    }

    /** Whether the server's process still runs; true when it runs on another machine (which cannot be checked). */
    boolean processAlive() {
        return !onThisMachine() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * A client for this server: HTTP/1.1, trusting exactly its certificate when it speaks HTTPS.
     *
     * @throws IOException when that certificate cannot be read
     */
    HttpClient client(Duration connectTimeout) throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout);
        if (tlsCert != null) {
            builder.sslContext(TlsTrust.pinned(Path.of(tlsCert)));
        }
        return builder.build();
    }

    URI ingestUri(boolean flush) {
        return URI.create(url + INGEST_PATH + (flush ? "?flush=true" : ""));
    }

    /** Whether the server answers an empty ingest request with this file's token within {@code timeout}. */
    public boolean answers(Duration timeout) {
        try {
            HttpClient http = client(timeout);
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ingestUri(false)).timeout(timeout)
                    .header(TOKEN_HEADER, token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** This machine's name, looked up once. */
    private static final class ThisMachine {
        static final String NAME = Host.name();
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "workbench serve at " + url + " (pid " + pid + (onThisMachine() ? "" : " on " + host) + ")";
    }
}
