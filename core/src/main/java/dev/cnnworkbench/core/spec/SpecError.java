package dev.cnnworkbench.core.spec;

/**
 * One problem found in a spec, with the JSON path of the offending value
 * ({@code model.layers[2].kernel}) and what is wrong with it.
 */
public record SpecError(String path, String message) {

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
