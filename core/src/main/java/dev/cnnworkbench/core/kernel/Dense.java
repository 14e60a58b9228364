package dev.cnnworkbench.core.kernel;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** Reading and writing ND4J float arrays in place from Java, for the kernels. */
final class Dense {

    private Dense() {
    }

    /**
     * Whether {@code x}'s values lie in row-major order one after another. (ND4J marks views of vectors, such as an
     * updater block's slice of the flattened gradient, column-major: for one dimension the two orders are one.)
     */
    static boolean is(INDArray x) {
        return (x.ordering() == 'c' || x.rank() == 1) && Shape.hasDefaultStridesForShape(x);
    }

    /** {@code x} itself when it {@link #is} dense, else a dense copy. */
    static INDArray of(INDArray x) {
        return is(x) ? x : x.dup('c');
    }

    /**
     * The values of a dense float array, index 0 its first (an array may be a view into a larger buffer: the buffer's
     * offset is where it starts). Absolute reads and writes on the result touch the array's own memory.
     */
    static FloatBuffer floats(INDArray dense) {
        FloatBuffer values = dense.data().asNioFloat().slice();
        if (values.remaining() < dense.length()) {
            throw new IllegalStateException("an array of " + dense.length() + " values has a buffer of "
                    + values.remaining());
        }
        return values;
    }
}
