package dev.rotor.manifests;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What one service reads: the keys and {@code ${NAME}} references of its application.properties and of the auth
 * library's shared defaults, the properties of its {@code @ConfigMapping} interfaces (from its compiled classes), and,
 * through SmallRye Kafka, any {@code kafka.*} client setting Kafka defines. An environment variable is read when it is
 * the MicroProfile Config environment form of one of these (every character but a letter or digit becomes {@code _},
 * upper case; a map key of a mapping matches any name).
 */
record ServiceConfig(String service, Properties properties, Set<Pattern> envForms) {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)");
    private static final Pattern PROFILE = Pattern.compile("^%[a-z]+\\.");

    static ServiceConfig of(String service) {
        Properties props = load(Repo.path(service + "/src/main/resources/application.properties"));
        Properties shared = load(Repo.path("auth/src/main/resources/META-INF/microprofile-config.properties"));
        Set<String> names = new HashSet<>();
        for (Properties p : new Properties[] {props, shared}) {
            for (String key : p.stringPropertyNames()) {
                names.add(PROFILE.matcher(key).replaceFirst(""));
                Matcher ref = REFERENCE.matcher(p.getProperty(key));
                while (ref.find()) {
                    names.add(ref.group(1));
                }
            }
        }
        names.addAll(ConfigMappings.properties(Repo.path(service + "/target/classes")));
        Stream.of(ProducerConfig.configNames(), ConsumerConfig.configNames(), AdminClientConfig.configNames())
                .flatMap(Set::stream).forEach(n -> names.add("kafka." + n));
        Set<Pattern> forms = new HashSet<>();
        names.forEach(n -> forms.add(envForm(n)));
        return new ServiceConfig(service, props, forms);
    }

    /** Whether the service reads this environment variable. */
    boolean reads(String variable) {
        return envForms.stream().anyMatch(p -> p.matcher(variable).matches());
    }

    /** {@code group/name} of the image Jib builds for this service. */
    String image() {
        return properties.getProperty("quarkus.container-image.group") + "/"
                + properties.getProperty("quarkus.container-image.name");
    }

    /** The HTTP port the service listens on when no variable changes it. */
    int httpPort() {
        return defaultPort("quarkus.http.port");
    }

    /** The management interface's port (health, metrics, OpenAPI) when no variable changes it. */
    int managementPort() {
        if (!"true".equals(properties.getProperty("quarkus.management.enabled"))) {
            throw new IllegalStateException(service + ": the management interface is not enabled");
        }
        return defaultPort("quarkus.management.port");
    }

    private int defaultPort(String key) {
        Matcher m = Pattern.compile("\\$\\{[A-Z_]+:(\\d+)}").matcher(properties.getProperty(key, ""));
        if (!m.matches()) {
            throw new IllegalStateException(service + ": " + key + " has no default");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The uid the image runs as. */
    long imageUser() {
        return Long.parseLong(properties.getProperty("quarkus.jib.user"));
    }

    private static Pattern envForm(String property) {
        StringBuilder regex = new StringBuilder();
        for (String part : property.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append("[A-Z0-9_]+");
            }
            regex.append(Pattern.quote(part.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
