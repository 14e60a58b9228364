package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where the images come from.
 *
 * @param dataset the data set's name ({@code fashion-mnist}, or {@code mnist} for any IDX folder)
 * @param path    the folder holding the IDX files
 * @param limit      at most this many training examples are used (after the validation hold-out); 0 = all
 * @param testLimit  only the first this-many test images are evaluated (quick checks); 0 = the whole test set
 */
public record DataSpec(String dataset, String path, int limit, @JsonProperty("test_limit") int testLimit) {

    public static final String DEFAULT_PATH = "/usr/share/datasets/fashion-mnist";
}
