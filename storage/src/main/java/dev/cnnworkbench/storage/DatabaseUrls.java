package dev.cnnworkbench.storage;

import java.util.List;
import java.util.Locale;

/**
 * Refuses database URLs that could run code or scripts when opened. H2 executes {@code INIT=} SQL
 * and {@code RUNSCRIPT} on connect, and can load classes by name through some settings; a URL from
 * an environment variable or a command line must not be able to do that.
 */
public final class DatabaseUrls {

    private static final List<String> FORBIDDEN = List.of(
            "INIT=", "RUNSCRIPT", "TRIGGER", "CREATE ALIAS", "JAVA_OBJECT_SERIALIZER", "AUTHENTICATOR",
            "DATABASE_EVENT_LISTENER", "COMPRESS_LOB", "FILE_SYSTEM", "LINKED TABLE");

    private DatabaseUrls() {
    }

    /** Throws {@link StorageException} naming the offending setting unless {@code url} is a plain H2 URL. */
    public static void check(String url) {
        if (url == null || !url.startsWith("jdbc:h2:")) {
            throw new StorageException("database URL must start with jdbc:h2:, got " + url);
        }
        String upper = url.toUpperCase(Locale.ROOT);
        for (String bad : FORBIDDEN) {
            if (upper.contains(bad)) {
                throw new StorageException("database URL " + url + " carries the setting '" + bad.trim()
                        + "', which could run code when the database opens; remove it");
            }
        }
    }
}
