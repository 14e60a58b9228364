package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --out} into a folder that does not exist, or onto a folder, is a usage error saying what is wrong
 * with that path (exit 2); it was {@code error: /x/y.csv; run again with --debug to see where}, exit 1 (a failed run).
 */
class ExportOutFileTest {

    @TempDir
    Path home;

    @Test
    void anOutFileThatCannotBeWrittenIsAUsageErrorNamingWhy() {
        Path missing = home.resolve("no-such-folder").resolve("curves.csv");
        InProcessCli.Result r = InProcessCli.run("export", "--home", home.toString(), "--metrics", "val_accuracy",
                "--out", missing.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(missing.toString(), "no such file or directory").doesNotContain("--debug");
        InProcessCli.Result folder = InProcessCli.run("export", "--home", home.toString(), "--metrics", "val_accuracy",
                "--out", home.toString());
        assertThat(folder.exitCode()).isEqualTo(2);
        assertThat(folder.err()).contains(home.toString(), "Is a directory").doesNotContain("--debug");
    }
}
