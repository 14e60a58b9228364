/**
 * Training diagnostics recorded while a run trains, after the lecture notes' "babysitting the learning process":
 * per-layer update-to-weight ratios, gradient and weight norms, activation statistics, weight and activation
 * histograms, the train/validation accuracy gap, confusion matrices, misclassified images, first-layer filters, and
 * training-health warnings (initial loss far from ln(C), update ratio far from 1e-3, vanishing or exploding
 * gradients, saturated or dead units). {@link dev.cnnworkbench.core.diagnostics.Diagnostics#forRun} builds the
 * observers a run's {@code diagnostics} spec section asks for; everything runs on the training thread.
 */
package dev.cnnworkbench.core.diagnostics;
