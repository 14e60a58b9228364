package dev.cnnworkbench.core.summary;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One row of a model summary: one layer of the spec, which may be several DL4J vertices (a residual block is
 * seven or nine).
 *
 * @param name        the vertex the layer ends on (its output), e.g. {@code conv1} or {@code res_out3}
 * @param type        the layer plugin's name, as the spec writes it
 * @param outputShape {@code [C, H, W]} for a volume, {@code [N]} for a vector, per example
 * @param params      learnable parameters, counted as the lecture notes count them (see {@link ModelSummary})
 * @param macs        multiply-adds of one forward pass of one example (convolutions and fully connected layers)
 * @param vertices    the DL4J vertices the layer added, in order
 */
public record LayerSummary(String name, String type, List<Long> outputShape, long params, long macs,
                           List<String> vertices) {

    public LayerSummary {
        outputShape = List.copyOf(outputShape);
        vertices = List.copyOf(vertices);
        if (params < 0 || macs < 0) {
            throw new IllegalArgumentException(name + ": params and macs must be >= 0, got " + params + ", " + macs);
        }
    }

    /** Values in the output per example: the "memory" column of the lecture notes. */
    public long outputSize() {
        return outputShape.stream().mapToLong(Long::longValue).reduce(1L, (a, b) -> a * b);
    }

    /** The shape as the notes write it: {@code 96 x 55 x 55}, or {@code 4096}. */
    public String shapeText() {
        return outputShape.stream().map(String::valueOf).collect(Collectors.joining(" x "));
    }
}
