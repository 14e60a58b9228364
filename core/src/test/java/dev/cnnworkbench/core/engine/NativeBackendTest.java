package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeBackendTest {

    @Test
    void theLoadedNativeBuildIsTheOneThePlatformExtensionAsksFor() {
        NativeBackend.load();
        String requested = System.getProperty(NativeBackend.PLATFORM_EXTENSION);
        String build = NativeBackend.nativeBuild();
        assertThat(build).startsWith("linux-x86_64");
        if (requested != null && !requested.isBlank()) {
            assertThat(build).endsWith(requested);
        }
        assertThat(NativeBackend.buildMismatch(requested, build)).isNull();
    }

    @Test
    void theExtensionIsTheOneOfTheNativeBuildJarOnTheClassPath() {
        String manifest = "lib/nd4j-native-api-1.0.0-M2.1.jar lib/nd4j-native-1.0.0-M2.1.jar"
                + " lib/nd4j-native-1.0.0-M2.1-linux-x86_64.jar lib/nd4j-native-preset-1.0.0-M2.1-linux-x86_64.jar"
                + " lib/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2.jar lib/javacpp-1.5.7.jar";
        assertThat(NativeBackend.extensionOnClassPath(manifest)).isEqualTo("-onednn-avx2");
        assertThat(NativeBackend.extensionOnClassPath("/m2/nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx512.jar:/x.jar"))
                .isEqualTo("-onednn-avx512");
        assertThat(NativeBackend.extensionOnClassPath("lib/nd4j-native-1.0.0-M2.1-linux-x86_64.jar")).isNull();
        assertThat(NativeBackend.extensionOnClassPath("lib/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64-redist.jar")).isNull();
        assertThat(NativeBackend.extensionOnClassPath(null)).isNull();
    }

    @Test
    void aSilentFallbackToThePlainBuildIsNamed() {
        assertThat(NativeBackend.buildMismatch("-onednn-avx512", "linux-x86_64"))
                .contains("linux-x86_64", "-onednn-avx512", "not on the class path", "./workbench");
        assertThat(NativeBackend.buildMismatch("-onednn-avx2", "linux-x86_64-onednn-avx2")).isNull();
        assertThat(NativeBackend.buildMismatch(null, "linux-x86_64")).isNull();
        assertThat(NativeBackend.buildMismatch("-onednn", "unknown")).isNull();
    }
}
