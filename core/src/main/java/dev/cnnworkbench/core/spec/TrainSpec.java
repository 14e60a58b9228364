package dev.cnnworkbench.core.spec;

/**
 * The training budget.
 *
 * @param epochs     passes over the training examples
 * @param batch      examples per mini-batch
 * @param seed       seeds weight init, shuffling, the validation split and augmentation
 * @param validation training examples held out for validation (taken before {@code data.limit} applies)
 */
public record TrainSpec(int epochs, int batch, long seed, int validation) {
}
