package dev.cnnworkbench.core.spec;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a spec cannot be used; carries every problem found, each with its JSON path. */
public final class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<SpecError> errors;

    public SpecException(List<SpecError> errors) {
        super(errors.stream().map(SpecError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public SpecException(String path, String message) {
        this(List.of(new SpecError(path, message)));
    }

    public List<SpecError> errors() {
        return errors;
    }
}
