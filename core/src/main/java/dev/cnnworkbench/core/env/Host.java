package dev.cnnworkbench.core.env;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's identity, as recorded with runs. */
public final class Host {

    private Host() {
    }

    /** The machine's name, or {@code "unknown"}. */
    public static String name() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** The user running this process, from {@code WORKBENCH_USER} or the OS account. */
    public static String user() {
        String user = System.getenv("WORKBENCH_USER");
        return user != null && !user.isBlank() ? user : System.getProperty("user.name", "unknown");
    }
}
