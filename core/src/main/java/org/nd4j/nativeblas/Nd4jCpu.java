package org.nd4j.nativeblas;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1. DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} asks, by
 * reflection, {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}, but that class
 * was removed in M2 (the method no longer exists anywhere). The lookup fails, so every oneDNN layer helper
 * is silently disabled even on the {@code -onednn} native builds. This class answers under the old name
 * from what M2.1 does expose: the native library's build flags ({@code HAVE_ONEDNN}) and whether C++
 * helpers are allowed.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The part of the native environment DL4J's helper check reads. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded native library was built with oneDNN and allows using it. */
        public boolean isUseMKLDNN() {
            try {
                String flags = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
                return flags != null && flags.contains("HAVE_ONEDNN")
                        && org.nd4j.linalg.factory.Nd4j.getEnvironment().helpersAllowed();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
