package dev.cnnworkbench.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Network files are read from their JSON configuration and weight arrays only; anything else is refused. */
class NetworkFilesTest {

    @TempDir
    Path dir;

    private static ComputationGraph tiny(int filters) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Adam(0.01)).graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(6, 6, 1))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(filters).activation(Activation.RELU).build(),
                        "input")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(3).build(), "conv1")
                .setOutputs("output").build());
        net.init();
        return net;
    }

    @Test
    void readsBackWhatRunArtifactsWrites() {
        ComputationGraph net = tiny(2);
        Path file = dir.resolve("model.zip");
        RunArtifacts.writeNetwork(net, file);
        ComputationGraph back = NetworkFiles.read(file);
        assertThat(back.getConfiguration()).isEqualTo(net.getConfiguration());
        assertThat(back.params()).isEqualTo(net.params());
    }

    @Test
    void acceptsUpdaterStateWithoutReadingIt() throws IOException {
        ComputationGraph net = tiny(2);
        Path file = dir.resolve("with-updater.zip");
        ModelSerializer.writeModel(net, file.toFile(), true);
        assertThat(entries(file)).contains(NetworkFiles.UPDATER_STATE);
        assertThat(NetworkFiles.read(file).params()).isEqualTo(net.params());
    }

    @Test
    void refusesAFileCarryingASerialisedJavaObject() throws IOException {
        Path file = dir.resolve("payload.zip");
        RunArtifacts.writeNetwork(tiny(2), file);
        ModelSerializer.addObjectToFile(file.toFile(), "payload", new ArrayList<>(List.of("runs code when read")));
        assertThat(entries(file)).contains("objects/payload");
        assertThatThrownBy(() -> NetworkFiles.read(file))
                .isInstanceOf(NetworkFiles.RefusedException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("unexpected entry \"objects/payload\"")
                .hasMessageContaining("never deserialises");
    }

    @Test
    void refusesDl4jsOtherSerialisedEntries() throws IOException {
        for (String entry : List.of("normalizer.bin", "preprocessor.bin")) {
            Path file = copyWith(dir.resolve(entry + ".zip"), entry, new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5});
            assertThatThrownBy(() -> NetworkFiles.read(file)).hasMessageContaining("unexpected entry \"" + entry + "\"");
        }
    }

    @Test
    void refusesParametersThatDoNotFitTheConfiguration() throws IOException {
        Path small = dir.resolve("small.zip");
        Path large = dir.resolve("large.zip");
        RunArtifacts.writeNetwork(tiny(2), small);
        RunArtifacts.writeNetwork(tiny(4), large);
        Path mixed = dir.resolve("mixed.zip");
        try (ZipFile a = new ZipFile(small.toFile()); ZipFile b = new ZipFile(large.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(mixed))) {
            copy(a, NetworkFiles.CONFIGURATION, out);
            copy(b, NetworkFiles.COEFFICIENTS, out);
        }
        assertThatThrownBy(() -> NetworkFiles.read(mixed)).isInstanceOf(NetworkFiles.RefusedException.class)
                .hasMessageContaining("coefficients.bin holds 235 parameters but the configuration has 119");
        Path missing = dir.resolve("missing.zip");
        try (ZipFile a = new ZipFile(small.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(missing))) {
            copy(a, NetworkFiles.CONFIGURATION, out);
        }
        assertThatThrownBy(() -> NetworkFiles.read(missing)).hasMessageContaining("has no coefficients.bin entry");
    }

    @Test
    void refusesAConfigurationNamingAJdkOrLibraryClassWithoutLoadingIt() throws IOException {
        Path source = dir.resolve("honest.zip");
        RunArtifacts.writeNetwork(tiny(2), source);
        String relu = "org.nd4j.linalg.activations.impl.ActivationReLU";
        for (String named : List.of("java.lang.ProcessBuilder", "org.nd4j.shade.jackson.databind.node.ObjectNode",
                "org.apache.commons.io.FileUtils", "com.example.crafted.LoudActivation", "../../etc/passwd")) {
            Path crafted = dir.resolve("crafted.zip");
            try (ZipFile in = new ZipFile(source.toFile());
                 ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(crafted))) {
                String json = new String(in.getInputStream(in.getEntry(NetworkFiles.CONFIGURATION)).readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
                assertThat(json).contains(relu);
                out.putNextEntry(new ZipEntry(NetworkFiles.CONFIGURATION));
                out.write(json.replace(relu, named).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
                copy(in, NetworkFiles.COEFFICIENTS, out);
            }
            assertThatThrownBy(() -> NetworkFiles.read(crafted)).as(named)
                    .isInstanceOf(NetworkFiles.RefusedException.class)
                    .hasMessageContaining("Could not resolve type id '" + named + "'");
        }
        // Refused by its name: the class on the class path was never even loaded (its static initialiser never ran).
        assertThat(System.getProperty("workbench.test.loud-activation-loaded")).isNull();
    }

    private Path copyWith(Path target, String entry, byte[] content) throws IOException {
        Path source = dir.resolve("source.zip");
        RunArtifacts.writeNetwork(tiny(2), source);
        try (ZipFile in = new ZipFile(source.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (String name : entries(source)) {
                copy(in, name, out);
            }
            out.putNextEntry(new ZipEntry(entry));
            out.write(content);
            out.closeEntry();
        }
        return target;
    }

    private static void copy(ZipFile from, String name, ZipOutputStream out) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        try (var in = from.getInputStream(from.getEntry(name))) {
            in.transferTo(out);
        }
        out.closeEntry();
    }

    private static List<String> entries(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }
}
