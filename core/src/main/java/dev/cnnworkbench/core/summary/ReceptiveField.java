package dev.cnnworkbench.core.summary;

/**
 * How much of the input one output element of a spatial layer can see: {@code 1 + sum (K_l - 1) * S_1 ... S_(l-1)}
 * over the convolutions and poolings on its longest path, with dilated kernels counted at their spread. Not clipped
 * to the input size, so it may exceed it.
 *
 * @param layer  the summary row (spec layer) it belongs to
 * @param height rows of the input one element sees
 * @param width  columns of the input one element sees
 */
public record ReceptiveField(String layer, long height, long width) {

    public ReceptiveField {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("receptive field must be at least 1x1, got " + height + "x" + width);
        }
    }
}
