package dev.cnnworkbench.storage;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The database URLs a workbench opens, and nothing else: an allow-list, checked before H2 sees the URL.
 *
 * <p>H2 runs SQL and loads classes from settings in the URL ({@code INIT}, aliases, triggers, event listeners),
 * unescapes {@code \;} inside a setting's value (so one "setting" can carry several SQL statements), and picks a
 * file system from a prefix ({@code mem:}, {@code zip:}, {@code split:}, {@code nio:}, ...). So a URL from a command
 * line or an environment variable is accepted only in one of these forms:
 * <pre>
 * jdbc:h2:file:PATH[;SETTING=VALUE]...          PATH absolute, or starting with ~/ ./ or ../; no ':' in it
 * jdbc:h2:tcp://HOST[:PORT]/NAME[;SETTING=VALUE]...
 * jdbc:h2:ssl://HOST[:PORT]/NAME[;SETTING=VALUE]...   NAME: letters, digits and _ . / ~ - only
 * </pre>
 * with only the settings of {@link #SETTINGS}, each given once, with a plain number or {@code TRUE}/{@code FALSE}.
 * A backslash or a control character anywhere is refused, and so are the user and the password (they come from
 * {@code WORKBENCH_DB_USER} and {@code WORKBENCH_DB_PASSWORD}). Messages name what is wrong and where, and never
 * repeat a setting's value. Stateless and thread-safe.
 */
public final class DatabaseUrls {

    private static final String PREFIX = "jdbc:h2:";
    private static final Pattern BOOLEAN = Pattern.compile("(?i)true|false");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");

    /**
     * The settings a URL may carry, with the values each accepts: {@code IFEXISTS} (open only a database that
     * exists), {@code LOCK_TIMEOUT} (milliseconds to wait for a lock), {@code WRITE_DELAY} (milliseconds before a
     * commit reaches the file; the embedded database uses 0).
     */
    public static final Map<String, Pattern> SETTINGS = Map.of("IFEXISTS", BOOLEAN, "LOCK_TIMEOUT", COUNT,
            "WRITE_DELAY", COUNT);

    private static final Pattern REMOTE = Pattern.compile(
            "(?<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])(?::(?<port>[0-9]{1,5}))?/(?<name>[A-Za-z0-9_.~/-]+)");
    private static final Pattern KEY = Pattern.compile("[A-Za-z_]+");
    private static final String ACCEPTED = "accepted are jdbc:h2:file:PATH, jdbc:h2:tcp://HOST[:PORT]/NAME and"
            + " jdbc:h2:ssl://HOST[:PORT]/NAME, with only the settings " + String.join(", ", SETTINGS.keySet().stream()
            .sorted().toList());

    /** Where a URL's database is. */
    public enum Kind { FILE, TCP, SSL }

    /**
     * A URL that passed the policy.
     *
     * @param location the file path as written (FILE), or {@code HOST[:PORT]/NAME} (TCP, SSL)
     * @param settings the settings by their upper-case names, in the URL's order
     */
    public record DatabaseUrl(String url, Kind kind, String location, Map<String, String> settings) {

        public DatabaseUrl {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        /** The file H2 keeps a FILE database in ({@code PATH.mv.db}, {@code ~} expanded); empty for a server. */
        public Optional<Path> file() {
            if (kind != Kind.FILE) {
                return Optional.empty();
            }
            String path = location.startsWith("~/") ? System.getProperty("user.home") + location.substring(1) : location;
            return Optional.of(Path.of(path + ".mv.db").toAbsolutePath().normalize());
        }
    }

    private DatabaseUrls() {
    }

    /** Throws {@link StorageException} saying what is wrong unless {@code url} is in an accepted form. */
    public static void check(String url) {
        parse(url);
    }

    /**
     * Parses {@code url} as H2 would (the database part up to the first {@code ;}, then {@code ;}-separated
     * {@code KEY=VALUE} settings, empty ones skipped) and checks it against the allow-list.
     *
     * @throws StorageException naming the refused part and its position
     */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isEmpty()) {
            throw new StorageException("no database URL given; " + ACCEPTED);
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '\\') {
                throw refused(url, "a backslash at position " + i + " (H2 reads it as an escape, e.g. of the ';'"
                        + " between settings)");
            }
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || (Character.isWhitespace(c) || Character.isSpaceChar(c)) && c != ' ') {
                throw refused(url, "a control or whitespace character (U+" + String.format(Locale.ROOT, "%04X", (int) c)
                        + ") at position " + i);
            }
        }
        if (!url.startsWith(PREFIX)) {
            throw refused(url, "it does not start with " + PREFIX);
        }
        int semicolon = url.indexOf(';');
        String base = semicolon < 0 ? url.substring(PREFIX.length()) : url.substring(PREFIX.length(), semicolon);
        Map<String, String> settings = semicolon < 0 ? Map.of() : settings(url, semicolon);
        if (base.startsWith("file:")) {
            return new DatabaseUrl(url, Kind.FILE, filePath(url, base.substring("file:".length())), settings);
        }
        for (Kind kind : new Kind[] {Kind.TCP, Kind.SSL}) {
            String scheme = kind.name().toLowerCase(Locale.ROOT) + "://";
            if (base.startsWith(scheme)) {
                String rest = base.substring(scheme.length());
                if (!REMOTE.matcher(rest).matches() || rest.contains("..") || !validPort(rest)) {
                    throw refused(url, "'" + rest + "' is not HOST[:PORT]/NAME (one host, a port from 1 to 65535,"
                            + " a NAME of letters, digits and _ . / ~ - without '..')");
                }
                return new DatabaseUrl(url, kind, rest, settings);
            }
        }
        int colon = base.indexOf(':');
        String what = colon > 0 ? "the '" + base.substring(0, colon + 1) + "' form" : "a bare path";
        throw refused(url, "it uses " + what + (colon > 0 ? "" : " (write jdbc:h2:file:PATH)"));
    }

    private static Map<String, String> settings(String url, int semicolon) {
        Map<String, String> settings = new LinkedHashMap<>();
        int start = semicolon + 1;
        while (start <= url.length()) {
            int end = url.indexOf(';', start);
            if (end < 0) {
                end = url.length();
            }
            String setting = url.substring(start, end);
            if (!setting.isEmpty()) {
                int equal = setting.indexOf('=');
                String key = equal < 0 ? setting : setting.substring(0, equal);
                String upper = key.toUpperCase(Locale.ROOT);
                if (equal < 0 || !KEY.matcher(key).matches()) {
                    throw refused(url, "the text at position " + start + " is not a SETTING=VALUE");
                }
                if (upper.equals("USER") || upper.equals("PASSWORD")) {
                    throw refused(url, "the setting " + upper + " at position " + start + " (the user and the password"
                            + " come from WORKBENCH_DB_USER and WORKBENCH_DB_PASSWORD)");
                }
                Pattern value = SETTINGS.get(upper);
                if (value == null) {
                    throw refused(url, "the setting " + upper + " at position " + start + " is not allowed");
                }
                if (!value.matcher(setting.substring(equal + 1)).matches()) {
                    throw refused(url, "the value of " + upper + " at position " + (start + equal + 1) + " must be "
                            + (value == BOOLEAN ? "TRUE or FALSE" : "a whole number of at most 9 digits"));
                }
                if (settings.put(upper, setting.substring(equal + 1)) != null) {
                    throw refused(url, "the setting " + upper + " is given twice (again at position " + start + ")");
                }
            }
            start = end + 1;
        }
        return settings;
    }

    private static String filePath(String url, String path) {
        int colon = path.indexOf(':');
        if (colon >= 0) {
            throw refused(url, "a ':' at position " + (PREFIX.length() + "file:".length() + colon) + " of the file path"
                    + " (H2 reads what comes before it as a file system, such as zip: or split:)");
        }
        if (!(path.startsWith("/") || path.startsWith("~/") || path.startsWith("./") || path.startsWith("../"))
                || path.endsWith("/") || path.isBlank()) {
            throw refused(url, "the file path '" + path + "' must be absolute, or start with ~/ ./ or ../, and name"
                    + " a database, not a folder");
        }
        return path;
    }

    private static boolean validPort(String rest) {
        var m = REMOTE.matcher(rest);
        if (!m.matches() || m.group("port") == null) {
            return true;
        }
        int port = Integer.parseInt(m.group("port"));
        return port >= 1 && port <= 65_535;
    }

    private static StorageException refused(String url, String why) {
        int semicolon = url.indexOf(';');
        String shown = (semicolon < 0 ? url : url.substring(0, semicolon) + ";...").replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
        if (shown.length() > 120) {
            shown = shown.substring(0, 120) + "...";
        }
        return new StorageException("database URL " + shown + " refused: " + why + "; " + ACCEPTED);
    }
}
