package dev.cnnworkbench.core.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** An error about a file says what the operating system said, not only the path. */
class IoReasonsTest {

    @TempDir
    Path dir;

    @Test
    void namesTheCauseOfFileSystemExceptions() {
        assertThat(IoReasons.of(new AccessDeniedException("/x/artifacts/1"))).isEqualTo("permission denied: /x/artifacts/1");
        assertThat(IoReasons.of(new NoSuchFileException("/x/y"))).isEqualTo("no such file or directory: /x/y");
        assertThat(IoReasons.of(new java.nio.file.FileSystemException("/x/z", null, "No space left on device")))
                .isEqualTo("No space left on device: /x/z");
        assertThat(IoReasons.of(new java.io.IOException("plain"))).isEqualTo("plain");
    }

    @Test
    void writingANetworkIntoAReadOnlyFolderSaysPermissionDenied() throws Exception {
        assumeThat(System.getProperty("user.name")).as("root may write anywhere").isNotEqualTo("root");
        Path artifacts = Files.createDirectories(dir.resolve("artifacts"));
        Files.setPosixFilePermissions(artifacts, PosixFilePermissions.fromString("r-xr-xr-x"));
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "in").setOutputs("out").build());
        net.init();
        try {
            assertThatThrownBy(() -> RunArtifacts.writeNetwork(net, artifacts.resolve("1").resolve("model.zip")))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot write the network to")
                    .hasMessageContaining("permission denied");
        } finally {
            Files.setPosixFilePermissions(artifacts, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
