package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.h2.engine.ConnectionInfo;

/**
 * The URL policy under generated input: URLs built from H2's own vocabulary (every URL form and file system
 * prefix, allowed and dangerous settings, {@code \;} escapes, SQL comments, odd case and whitespace). Each is either
 * refused with a StorageException, or accepted in the allow-list form, and then H2's own parser
 * ({@link ConnectionInfo}, the class that opens connections) reads it the same way: the same settings, no file system
 * prefix, no SQL.
 */
class DatabaseUrlsPropertyTest {

    private static final Pattern ALLOWED = Pattern.compile(
            "jdbc:h2:(file:(/|~/|\\./|\\.\\./)[^:;\\\\\\p{Cntrl}]*[^/:;\\\\\\p{Cntrl}]|(tcp|ssl)://[A-Za-z0-9.\\[\\]:-]+/[A-Za-z0-9_.~/-]+)"
                    + "(;((?i)(IFEXISTS=(true|false))|(WRITE_DELAY|LOCK_TIMEOUT)=[0-9]{1,9})?)*");

    /** H2 keeps what it read from the URL to itself; these read it. */
    private static final Method GET_KEYS = accessible("getKeys");
    private static final Method GET_PROPERTY = accessible("getProperty", String.class);

    private static Method accessible(String name, Class<?>... parameters) {
        try {
            Method m = ConnectionInfo.class.getDeclaredMethod(name, parameters);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    @Property(tries = 2000)
    void aUrlIsRefusedOrItsAllowListFormIsWhatH2Reads(@ForAll("urls") String url) throws Exception {
        DatabaseUrls.DatabaseUrl parsed;
        try {
            parsed = DatabaseUrls.parse(url);
        } catch (StorageException e) {
            assertThat(e.getMessage()).contains("refused").contains("accepted are").doesNotContain("\n");
            return;
        }
        assertThat(url).matches(ALLOWED);
        ConnectionInfo h2 = new ConnectionInfo(url, null, null, null);
        Map<String, String> seen = new HashMap<>();
        for (String key : (String[]) GET_KEYS.invoke(h2)) {
            seen.put(key, (String) GET_PROPERTY.invoke(h2, key));
        }
        assertThat(seen).as("H2 reads the same settings").isEqualTo(parsed.settings());
        assertThat(h2.isRemote()).isEqualTo(parsed.kind() != DatabaseUrls.Kind.FILE);
        if (parsed.kind() == DatabaseUrls.Kind.FILE) {
            assertThat(h2.isPersistent()).isTrue();
            assertThat(h2.getName()).as("no file system prefix").doesNotContain(":");
        }
    }

    @Provide
    Arbitrary<String> urls() {
        Arbitrary<String> form = Arbitraries.of("jdbc:h2:file:/tmp/wb", "jdbc:h2:file:~/wb/db", "jdbc:h2:file:./db",
                "jdbc:h2:tcp://localhost:9092/workbench", "jdbc:h2:ssl://10.0.0.1/team/wb", "jdbc:h2:tcp://[::1]:1/x",
                "jdbc:h2:mem:x", "jdbc:h2:mem:", "jdbc:h2:zip:/tmp/a.zip!/db", "jdbc:h2:split:/tmp/db",
                "jdbc:h2:nio:/tmp/db", "jdbc:h2:file:split:/x", "jdbc:h2:file:memFS:/x", "jdbc:h2:/tmp/db",
                "jdbc:h2:tcp://a,b/db", "jdbc:h2:tcp://h/mem:x", "jdbc:h2:tcp://h/../x", "jdbc:h2:.", "jdbc:h2:file:/t/",
                "jdbc:h2:rec:/x", "jdbc:h2:async:/x", "jdbc:h2:retry:/x", "jdbc:h2:file:/a b/c");
        Arbitrary<String> key = Arbitraries.of("IFEXISTS", "WRITE_DELAY", "LOCK_TIMEOUT", "INIT", "TRACE_LEVEL_FILE",
                "AUTHENTICATOR", "DATABASE_EVENT_LISTENER", "JAVA_OBJECT_SERIALIZER", "IGNORE_UNKNOWN_SETTINGS", "USER",
                "PASSWORD", "CIPHER", "MODE", "ACCESS_MODE_DATA", "AUTO_SERVER", "RECOVER_TEST", "FILE_LOCK", "CACHE_TYPE",
                "OPEN_NEW", "FORBID_CREATION", "LOCK_MODE", "DEFAULT_TABLE_ENGINE");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("0", "1", "500", "TRUE", "false", "True", "-1",
                        "1e3", "r", "RUNSCRIPT FROM 'x.sql'", "CREATE ALIAS X AS $$ void x() {} $$", "CREATE/**/ALIAS X",
                        "org.Evil", "1\\;CALL X()", "1\\;CREATE  ALIAS SHX AS $$ x $$", "$$", "''", "1 ", " 1", "1--"),
                Arbitraries.integers().between(0, 2_000_000_000).map(String::valueOf));
        Arbitrary<String> setting = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc=;\\ $/*-'\"\t\n\u200b:").ofMaxLength(8),
                key.flatMap(k -> value.map(v -> k + "=" + v)),
                key.flatMap(k -> value.map(v -> k.toLowerCase(Locale.ROOT) + "=" + v)),
                key.flatMap(k -> value.map(v -> " " + k + " = " + v)));
        Arbitrary<String> separator = Arbitraries.of(";", ";", ";", "\\;", ";;", "; ", ";/**/");
        Arbitrary<String> settings = Arbitraries.lazy(() -> separator.flatMap(sep -> setting.map(s -> sep + s)))
                .list().ofMaxSize(4).map(l -> String.join("", l));
        Arbitrary<String> prefixNoise = Arbitraries.of("", "", "", "", " ", "\t", "JDBC:H2:", "jdbc:h2:jdbc:h2:");
        return prefixNoise.flatMap(p -> form.flatMap(f -> settings.map(s -> p + caseNoise(f, s.length()) + s)));
    }

    /** Now and then the scheme in upper case, which H2 would not read as the same URL. */
    private static String caseNoise(String form, int seed) {
        return seed % 7 == 3 ? form.toUpperCase(Locale.ROOT) : form;
    }

    @Property(tries = 1000)
    void anyStringAtAllIsRefusedOrAllowListed(@ForAll("noise") String url) {
        try {
            DatabaseUrls.parse(url);
        } catch (StorageException e) {
            return;
        }
        assertThat(url).matches(ALLOWED);
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().withChars("jdbc:h2file/tcpsl;=\\ ~.[]0129AEFIKLMORTWXY_-$'").ofMaxLength(40)
                .map(s -> List.of("jdbc:h2:file:/", "jdbc:h2:tcp://h/", "jdbc:h2:", "").get(Math.abs(s.hashCode()) % 4) + s);
    }
}
