package dev.cnnworkbench.core.artifact;

import dev.cnnworkbench.core.plugin.PluginClasses;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.cfg.MapperConfig;
import org.nd4j.shade.jackson.databind.jsontype.PolymorphicTypeValidator;
import org.nd4j.shade.jackson.databind.type.TypeFactory;

/**
 * Reads a graph configuration's JSON with DL4J's mapper, restricted in which classes its type ids may name. DL4J
 * names the class of every layer, vertex, pre-processor, activation, updater, schedule... by its full name
 * ({@code @JsonTypeInfo(use = CLASS)}); its own mapper loads whatever the name says (running the class's static
 * initialiser) and only then checks that it fits. This mapper decides on the name first: a class of DL4J, ND4J or the
 * workbench (found on the class path), or one defined inside a loaded plugin jar ({@link PluginClasses}, found through
 * that jar's class loader). Any other name, of a JDK or library class, a shaded library's, or one on the class path
 * outside those packages, is refused without being loaded. Thread-safe.
 */
final class ConfigurationJson {

    /** Packages whose classes may be named; a shaded library inside ND4J is not one of them. */
    private static final List<String> TRUSTED = List.of("org.deeplearning4j.", "org.nd4j.", "dev.cnnworkbench.");
    private static final String SHADED = "org.nd4j.shade.";

    private static final ObjectMapper MAPPER = mapper();

    private ConfigurationJson() {
    }

    /**
     * The configuration in {@code json}. Unlike {@link ComputationGraphConfiguration#fromJson} it reads only the
     * current format (the one {@link RunArtifacts} writes), not DL4J's pre-1.0 legacy formats.
     */
    static ComputationGraphConfiguration read(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, ComputationGraphConfiguration.class);
    }

    private static ObjectMapper mapper() {
        ObjectMapper mapper = NeuralNetConfiguration.mapper().copy();
        mapper.setTypeFactory(TypeFactory.defaultInstance().withClassLoader(PluginClasses.resolver()));
        mapper.setPolymorphicTypeValidator(new Validator());
        return mapper;
    }

    static boolean trustedName(String className) {
        return !className.startsWith(SHADED) && TRUSTED.stream().anyMatch(className::startsWith);
    }

    private static final class Validator extends PolymorphicTypeValidator.Base {

        private static final long serialVersionUID = 1L;

        @Override
        public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
            if (trustedName(subClassName)) {
                return Validity.ALLOWED;
            }
            return PluginClasses.definedByPlugin(subClassName) ? Validity.INDETERMINATE : Validity.DENIED;
        }

        @Override
        public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
            return PluginClasses.isPluginClass(subType.getRawClass()) ? Validity.ALLOWED : Validity.DENIED;
        }
    }
}
