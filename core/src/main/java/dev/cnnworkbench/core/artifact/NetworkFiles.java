package dev.cnnworkbench.core.artifact;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a network file (a DL4J model zip, as {@link RunArtifacts#writeNetwork} writes it) without Java
 * deserialisation. DL4J's own loader deserialises some entries with {@code ObjectInputStream} (a data pre-processor,
 * objects added with {@code ModelSerializer.addObjectToFile}), which runs code chosen by whoever wrote the file. This
 * loader accepts only the entries it knows, {@value #CONFIGURATION} (the graph configuration as JSON, read by DL4J's
 * JSON mapper into configuration classes, of DL4J, ND4J, the workbench or a loaded plugin jar only: see
 * {@link ConfigurationJson}), {@value #COEFFICIENTS} (the parameters in ND4J's binary array format),
 * and optionally {@value #UPDATER_STATE} (the optimizer's state, also an ND4J array, read only to continue training)
 * and {@value #NO_PARAMS}; any other entry, such as DL4J's
 * {@code normalizer.bin} and {@code preprocessor.bin} or {@code objects/...}, makes it refuse the whole file,
 * naming the entry. The parameters must be exactly as many as the configuration has. Stateless and thread-safe.
 */
public final class NetworkFiles {

    public static final String CONFIGURATION = "configuration.json";
    public static final String COEFFICIENTS = "coefficients.bin";
    public static final String UPDATER_STATE = "updaterState.bin";
    public static final String NO_PARAMS = "noParams.marker";
    /** The entries a network file may have. */
    public static final List<String> ALLOWED = List.of(CONFIGURATION, COEFFICIENTS, UPDATER_STATE, NO_PARAMS);

    private static final int MAX_CONFIGURATION_BYTES = 64 << 20;
    /** Room for the array header of {@value #COEFFICIENTS}, beyond 8 bytes per parameter. */
    private static final int HEADER_SLACK = 64 << 10;

    private NetworkFiles() {
    }

    /** Thrown when a file is not a network file this loader accepts; the message names the file and the reason. */
    public static final class RefusedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RefusedException(Path file, String reason) {
            super("refusing network file " + file + ": " + reason);
        }
    }

    /**
     * The network in {@code file}, with its parameters and without updater state (ready for inference, or for training
     * with a fresh updater).
     *
     * @throws RefusedException naming an unexpected entry, a missing one, or parameters that do not fit the
     *                          configuration
     * @throws java.io.UncheckedIOException when the file cannot be read or is not a zip
     */
    public static ComputationGraph read(Path file) {
        return read(file, false);
    }

    /**
     * The network in {@code file} as {@link #read} gives it, plus the optimizer's state saved with it
     * ({@link RunArtifacts#writeCheckpoint}) and the iteration and epoch counts its configuration carries: training
     * it goes on as if it had never stopped (learning-rate schedules and Adam's bias correction included). A file
     * without optimizer state (an optimizer that keeps none, such as plain SGD) gives a fresh one.
     *
     * @throws RefusedException as {@link #read}, and when the optimizer's state does not fit the network's optimizer
     */
    public static ComputationGraph readToContinueTraining(Path file) {
        return read(file, true);
    }

    private static ComputationGraph read(Path file, boolean withUpdater) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, ZipEntry> entries = entries(zip, file);
            ZipEntry configEntry = entries.get(CONFIGURATION);
            ZipEntry coefficientEntry = entries.get(COEFFICIENTS);
            if (configEntry == null || coefficientEntry == null) {
                throw new RefusedException(file, "it has no " + (configEntry == null ? CONFIGURATION : COEFFICIENTS)
                        + " entry; is it a DL4J model zip?");
            }
            ComputationGraphConfiguration conf = configuration(file,
                    new String(bytes(zip, configEntry, MAX_CONFIGURATION_BYTES, file), StandardCharsets.UTF_8));
            long expected = parameterCount(conf);
            long limit = Math.min(Integer.MAX_VALUE - 8, expected * Double.BYTES + HEADER_SLACK);
            byte[] coefficients = bytes(zip, coefficientEntry, (int) limit, file);
            INDArray params = null;
            if (coefficients.length > 0) {
                params = array(file, COEFFICIENTS, coefficients);
            } else if (!entries.containsKey(NO_PARAMS) || expected != 0) {
                throw new RefusedException(file, COEFFICIENTS + " is empty but the configuration has " + expected
                        + " parameters");
            }
            long found = params == null ? 0 : params.length();
            if (found != expected) {
                throw new RefusedException(file, COEFFICIENTS + " holds " + found + " parameters but the configuration"
                        + " has " + expected);
            }
            if (params != null) {
                conf.setDataType(params.dataType());
            }
            conf.setCacheMode(dev.cnnworkbench.core.engine.NetworkFactory.FORWARD_CACHE); // files of older versions: NONE
            // with the kernels of a network built by NetworkFactory, or a resumed network computes in another rounding
            ComputationGraph net = dev.cnnworkbench.core.engine.NetworkFactory.create(conf,
                    params == null ? null : params.reshape(1, found));
            ZipEntry updaterEntry = entries.get(UPDATER_STATE);
            if (withUpdater && updaterEntry != null) {
                restoreUpdater(net, array(file, UPDATER_STATE,
                        bytes(zip, updaterEntry, (int) Math.min(Integer.MAX_VALUE - 8, 4 * limit), file)), file);
            }
            return net;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read network file " + file + ": " + e.getMessage(), e);
        }
    }

    /** An array in ND4J's binary format (never Java serialisation). */
    private static INDArray array(Path file, String entry, byte[] data) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            return Nd4j.read(in);
        } catch (RuntimeException e) {
            throw new RefusedException(file, entry + " is not an ND4J array: " + e.getMessage());
        }
    }

    private static void restoreUpdater(ComputationGraph net, INDArray state, Path file) {
        INDArray view = net.getUpdater().getStateViewArray();
        long expected = view == null ? 0 : view.length();
        if (state.length() != expected) {
            throw new RefusedException(file, UPDATER_STATE + " holds " + state.length() + " values but the network's"
                    + " optimizer keeps " + expected);
        }
        if (expected > 0) {
            net.getUpdater().setStateViewArray(state.reshape(view.shape()));
        }
    }

    private static Map<String, ZipEntry> entries(ZipFile zip, Path file) {
        Map<String, ZipEntry> out = new HashMap<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            String name = entry.getName();
            if (!ALLOWED.contains(name)) {
                throw new RefusedException(file, "unexpected entry \"" + name + "\"; only " + String.join(", ", ALLOWED)
                        + " are read (other entries, such as DL4J's normalizer.bin, preprocessor.bin or objects/...,"
                        + " may hold serialised Java objects, which the workbench never deserialises)");
            }
            if (out.put(name, entry) != null) {
                throw new RefusedException(file, "entry \"" + name + "\" appears twice");
            }
        }
        return out;
    }

    private static byte[] bytes(ZipFile zip, ZipEntry entry, int limit, Path file) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] data = in.readNBytes(limit + 1);
            if (data.length > limit) {
                throw new RefusedException(file, "entry " + entry.getName() + " is larger than " + limit + " bytes");
            }
            return data;
        }
    }

    private static ComputationGraphConfiguration configuration(Path file, String json) {
        ComputationGraphConfiguration conf;
        try {
            conf = ConfigurationJson.read(json);
        } catch (RuntimeException | org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new RefusedException(file, CONFIGURATION + " is not a ComputationGraph configuration: " + e.getMessage());
        }
        if (conf.getNetworkInputs() == null || conf.getVertices() == null || conf.getVertices().isEmpty()) {
            throw new RefusedException(file, CONFIGURATION + " is not a ComputationGraph configuration");
        }
        return conf;
    }

    /** The number of parameters the configuration's layers have. */
    private static long parameterCount(ComputationGraphConfiguration conf) {
        long n = 0;
        for (GraphVertex vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex lv) {
                n += lv.getLayerConf().getLayer().initializer().numParams(lv.getLayerConf());
            }
        }
        return n;
    }
}
