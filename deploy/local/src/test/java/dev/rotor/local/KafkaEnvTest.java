package dev.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaEnvTest {

    @Test
    void mapsKafkaVariablesAsQuarkusDoesAndIgnoresTheRest() {
        Map<String, Object> config = KafkaEnv.clientConfig(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_JAAS_CONFIG", "jaas", "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/ts.p12",
                "KAFKA_SASL_MECHANISM", "", "PATH", "/bin", "KAFKA_", "x"), "127.0.0.1:9092");

        assertThat(config).containsOnly(Map.entry("bootstrap.servers", "127.0.0.1:9092"),
                Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.jaas.config", "jaas"),
                Map.entry("ssl.truststore.location", "/etc/ts.p12"));
    }

    @Test
    void anEnvironmentBootstrapWins() {
        assertThat(KafkaEnv.clientConfig(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9093"), "127.0.0.1:9092"))
                .containsOnly(Map.entry("bootstrap.servers", "broker:9093"));
    }
}
