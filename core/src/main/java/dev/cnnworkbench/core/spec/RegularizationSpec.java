package dev.cnnworkbench.core.spec;

/** Penalties on the weights, added to the data loss: {@code l1 * |W|} and {@code l2 * ||W||^2 / 2}. */
public record RegularizationSpec(double l1, double l2) {

    public static final RegularizationSpec NONE = new RegularizationSpec(0, 0);
}
