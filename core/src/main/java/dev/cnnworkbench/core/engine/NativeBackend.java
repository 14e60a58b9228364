package dev.cnnworkbench.core.engine;

/**
 * Settings of the ND4J native backend that must be made before it is used. Safe to call from any
 * thread, any number of times; an explicit {@code -D} on the command line always wins.
 */
public final class NativeBackend {

    /** JavaCPP's choice of native build, e.g. {@code -onednn-avx2} for {@code linux-x86_64-onednn-avx2}. */
    public static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    /** DL4J's switch for its oneDNN/cuDNN layer helpers; DL4J 1.0.0-M2.1 turns them OFF by default. */
    public static final String HELPERS_DISABLED = "org.eclipse.deeplearning4j.helpers.disable";

    private NativeBackend() {
    }

    /**
     * Selects the native build the class path carries (from the jar manifest). Must run before the
     * first ND4J class loads; later calls have no effect on an already loaded backend.
     */
    public static void selectPlatformExtension(String extension) {
        if (extension != null && !extension.isBlank() && System.getProperty(PLATFORM_EXTENSION) == null) {
            System.setProperty(PLATFORM_EXTENSION, extension);
        }
    }

    /**
     * Lets DL4J layers use the native build's oneDNN kernels (convolution, pooling, batch norm). Read by
     * DL4J when each layer is created, so this must run before a network is built.
     */
    public static void enableLayerHelpers() {
        if (System.getProperty(HELPERS_DISABLED) == null) {
            System.setProperty(HELPERS_DISABLED, "false");
        }
    }
}
