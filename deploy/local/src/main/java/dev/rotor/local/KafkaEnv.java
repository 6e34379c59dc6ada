package dev.rotor.local;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The standard Kafka client properties of a command-line tool, read from {@code KAFKA_*} environment variables the way
 * Quarkus maps them for the services ({@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}), so a tool reaches a
 * secured broker with the same settings and never takes a password as an argument.
 */
public final class KafkaEnv {
    private static final String PREFIX = "KAFKA_";

    private KafkaEnv() {
    }

    /** The properties from {@code env}, with {@code bootstrap} as {@code bootstrap.servers} unless the env names one. */
    public static Map<String, Object> clientConfig(Map<String, String> env, String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        env.forEach((name, value) -> {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() && !value.isEmpty()) {
                config.put(name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return config;
    }
}
