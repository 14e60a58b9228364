package dev.cnnworkbench.cli.home;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.StorageException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.h2.tools.Server;

/**
 * H2's TCP server over one team database, {@code DIR/workbench}: created and migrated locally before the server
 * starts, with the given user and password as its owner, so that clients can neither create other databases
 * (H2 refuses remote creation unless told otherwise) nor open this one without the password. Listens on one
 * interface (one per process: see {@link #listenOnlyOn}); accepts other machines only when that interface is not the
 * loopback. Never starts H2's web console. Started and stopped by one thread.
 */
public final class TeamDatabaseServer implements AutoCloseable {

    static final String DATABASE = "workbench";
    private static final String BIND_PROPERTY = "h2.bindAddress";

    private final Server server;
    private final String bind;

    private TeamDatabaseServer(Server server, String bind) {
        this.server = server;
        this.bind = bind;
    }

    /**
     * Creates (or migrates) {@code dir/workbench} and serves it.
     *
     * @throws StorageException when the database cannot be opened with this password, or the port cannot be bound
     */
    public static TeamDatabaseServer start(Path dir, String bind, int port, String user, String password) {
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("the team database needs a password: set WORKBENCH_DB_PASSWORD or give"
                    + " --password-file; there is no default");
        }
        boolean loopback = isLoopback(bind);
        listenOnlyOn(bind);
        Path base = dir.toAbsolutePath().normalize();
        try (Database db = Database.open("jdbc:h2:file:" + base.resolve(DATABASE) + ";WRITE_DELAY=0", user, password)) {
            System.err.println("team database " + db.url() + " is at the current schema");
        }
        List<String> args = new ArrayList<>(List.of("-tcpPort", String.valueOf(port), "-baseDir", base.toString(),
                "-tcpPassword", HexFormat.of().formatHex(SecureRandom.getSeed(16))));
        if (!loopback) {
            args.add("-tcpAllowOthers");
        }
        try {
            return new TeamDatabaseServer(Server.createTcpServer(args.toArray(String[]::new)).start(), bind);
        } catch (SQLException e) {
            throw new StorageException("cannot start the database server on " + bind + ":" + port + ": "
                    + e.getMessage() + " (is the port taken? choose another with --port)", e);
        }
    }

    /**
     * Makes H2's servers in this process listen on {@code bind} only. H2 reads the address once per process, from
     * the system property {@code h2.bindAddress}, when its first class loads ({@code SysProperties.BIND_ADDRESS}):
     * so the property is set before this process touches H2, and a process whose H2 was set up otherwise (or not
     * at all: every interface) refuses to serve rather than listen more widely than told.
     */
    private static void listenOnlyOn(String bind) {
        String before = System.getProperty(BIND_PROPERTY);
        System.setProperty(BIND_PROPERTY, bind);
        String effective = org.h2.engine.SysProperties.BIND_ADDRESS;
        if (!sameAddress(effective, bind)) {
            if (before == null) {
                System.clearProperty(BIND_PROPERTY);
            } else {
                System.setProperty(BIND_PROPERTY, before);
            }
            throw new StorageException("cannot listen on " + bind + " only: the database engine of this process"
                    + " was set up to listen on " + (effective == null || effective.isEmpty() ? "every interface"
                    : effective) + " before; start the database server in a process of its own (workbench db-server)");
        }
    }

    private static boolean sameAddress(String a, String b) {
        if (a == null || a.isEmpty()) {
            return false;
        }
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: unknown interface or host name '" + bind + "'");
        }
    }

    public int port() {
        return server.getPort();
    }

    /** The URL clients give as {@code --db} or {@code WORKBENCH_DB}. */
    public String clientUrl() {
        String host = bind;
        try {
            if (InetAddress.getByName(bind).isAnyLocalAddress()) {
                host = InetAddress.getLocalHost().getHostName();
            }
        } catch (UnknownHostException e) {
            // keep the address as given
        }
        return "jdbc:h2:tcp://" + host + ":" + port() + "/" + DATABASE;
    }

    @Override
    public void close() {
        server.stop();
    }
}
