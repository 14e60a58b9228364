package dev.cnnworkbench.core.plugin;

/** The value types a plugin parameter can take in a spec. */
public enum ParamType {
    /** A whole number. */
    INT,
    /** Any real number (an integer in the spec is accepted). */
    NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Free text or, with choices, one of a fixed set of words. */
    STRING,
    /** A whole number or a pair {@code [height, width]}, for kernels, strides and paddings. */
    INT_PAIR,
    /** A list of whole numbers. */
    INT_LIST,
    /** A list of real numbers. */
    NUMBER_LIST
}
