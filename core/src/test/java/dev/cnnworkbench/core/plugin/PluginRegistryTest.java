package dev.cnnworkbench.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and clashing plugin jars are reported by jar and class, and never stop the other plugins. */
class PluginRegistryTest {

    private static final String LAYER_SPI = LayerPlugin.class.getName();

    @TempDir
    Path dir;

    @Test
    void aProviderWithoutANameIsReportedByJarAndClassWhileTheOthersLoad() throws Exception {
        TestJars.build(dir.resolve("a-nameless.jar"), Map.of("t.nameless.Nameless", TestJars.layer("t.nameless",
                "Nameless", "null")), Map.of(LAYER_SPI, "t.nameless.Nameless"));
        TestJars.build(dir.resolve("b-good.jar"), Map.of("t.good.Good", TestJars.layer("t.good", "Good", "goodlayer")),
                Map.of(LAYER_SPI, "t.good.Good"));

        PluginRegistry registry = PluginRegistry.load(List.of(dir));

        assertThat(registry.problems()).extracting(PluginProblem::toString)
                .contains("a-nameless.jar (t.nameless.Nameless): name() returned null; a plugin needs the name a spec uses");
        assertThat(registry.all()).as("%s", registry.problems()).extracting(i -> i.plugin().name()).contains("goodlayer");
        assertThat(registry.find(PluginKind.LAYER, "goodlayer")).get().extracting(PluginInfo::source).isEqualTo("b-good.jar");
    }

    @Test
    void aServiceLineNamingAClassOfTheWrongTypeIsReportedByJarAndClass() throws Exception {
        TestJars.build(dir.resolve("wrong.jar"), Map.of("t.wrong.NotAPlugin", "package t.wrong; public class NotAPlugin {}",
                "t.wrong.Layer", TestJars.layer("t.wrong", "Layer", "wronglayer")),
                Map.of(LAYER_SPI, "t.wrong.NotAPlugin\nt.wrong.Layer", OptimizerPlugin.class.getName(), "t.wrong.Layer"));

        PluginRegistry registry = PluginRegistry.load(List.of(dir));

        assertThat(registry.problems()).extracting(PluginProblem::toString).contains(
                "wrong.jar (t.wrong.NotAPlugin): does not implement " + LAYER_SPI,
                "wrong.jar (t.wrong.Layer): does not implement " + OptimizerPlugin.class.getName());
        assertThat(registry.find(PluginKind.LAYER, "wronglayer")).isPresent();
    }

    @Test
    void ofTwoSameNamedPluginsTheFirstJarByFileNameWinsAndTheWarningNamesBoth() throws Exception {
        TestJars.build(dir.resolve("b-second.jar"), Map.of("t.second.Dup", TestJars.layer("t.second", "Dup", "dup")),
                Map.of(LAYER_SPI, "t.second.Dup"));
        TestJars.build(dir.resolve("a-first.jar"), Map.of("t.first.Dup", TestJars.layer("t.first", "Dup", "dup")),
                Map.of(LAYER_SPI, "t.first.Dup"));

        PluginRegistry registry = PluginRegistry.load(List.of(dir));

        assertThat(registry.find(PluginKind.LAYER, "dup")).get().extracting(PluginInfo::source).isEqualTo("a-first.jar");
        assertThat(registry.problems()).extracting(PluginProblem::toString).contains(
                "b-second.jar (t.second.Dup): a layer plugin named 'dup' is already provided by a-first.jar (t.first.Dup),"
                        + " which wins; this one is ignored");
    }

    @Test
    void aPluginFromAJarRecordsTheJarsFileNameAndSha256() throws Exception {
        Path jar = TestJars.build(dir.resolve("origin.jar"), Map.of("t.origin.Layer", TestJars.layer("t.origin", "Layer",
                "originlayer")), Map.of(LAYER_SPI, "t.origin.Layer"));

        PluginInfo info = PluginRegistry.load(List.of(dir)).find(PluginKind.LAYER, "originlayer").orElseThrow();

        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(java.nio.file.Files.readAllBytes(jar)));
        assertThat(PluginClasses.jarOf(info.plugin().getClass())).get()
                .isEqualTo(new PluginClasses.PluginJar("origin.jar", expected));
        assertThat(PluginClasses.jarOf(LayerPlugin.class)).isEmpty();
    }
}
