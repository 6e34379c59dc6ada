package dev.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rotor.contracts.messages.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded broker refuses unauthenticated clients and enforces the ACL table of {@link KafkaPrincipals}. */
class KafkaAuthTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() {
        assumeTrue(System.getenv("ROTOR_TEST_KAFKA") == null, "an external broker has its own security");
        kafka = KafkaResource.embedded();
    }

    @Test
    void aClientWithoutCredentialsNeverGetsMetadataAndWritesNothing() throws Exception {
        long before = endOffset(Topics.STEP_COMMANDS);
        Map<String, Object> plaintext = Map.of("bootstrap.servers", kafka.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);

        // The SASL listener drops a client that does not authenticate, so it never learns the topic's partitions.
        assertThat(refusal(plaintext)).isInstanceOf(TimeoutException.class);
        assertThat(endOffset(Topics.STEP_COMMANDS)).isEqualTo(before);
    }

    @Test
    void aWrongPasswordOrUnknownUserIsRefusedAndTheMessageHoldsNoPassword() throws Exception {
        long before = endOffset(Topics.STEP_COMMANDS);
        String wrong = "Wrong" + UUID.randomUUID().toString().replace("-", "");

        Throwable wrongPassword = refusal(as(KafkaCredentials.jaas(KafkaPrincipals.ORCHESTRATOR, wrong)));
        Throwable unknownUser = refusal(as(KafkaCredentials.jaas("mallory",
                kafka.credentials().password(KafkaPrincipals.ORCHESTRATOR))));

        assertThat(wrongPassword).isInstanceOf(SaslAuthenticationException.class);
        assertThat(unknownUser).isInstanceOf(SaslAuthenticationException.class);
        assertThat(wrongPassword.getMessage()).doesNotContain(wrong);
        assertThat(unknownUser.getMessage())
                .doesNotContain(kafka.credentials().password(KafkaPrincipals.ORCHESTRATOR));
        assertThat(endOffset(Topics.STEP_COMMANDS)).isEqualTo(before);
    }

    @Test
    void onlyTheOrchestratorWritesStepCommands() throws Exception {
        long before = endOffset(Topics.STEP_COMMANDS);

        Throwable worker = refusal(kafka.clientConfig(KafkaPrincipals.SECRET_SYNC));
        Throwable notifier = refusal(kafka.clientConfig(KafkaPrincipals.NOTIFIER));
        RecordMetadata written = send(kafka.clientConfig(KafkaPrincipals.ORCHESTRATOR));

        assertThat(worker).isInstanceOf(TopicAuthorizationException.class);
        assertThat(((TopicAuthorizationException) worker).unauthorizedTopics()).containsExactly(Topics.STEP_COMMANDS);
        assertThat(notifier).isInstanceOf(TopicAuthorizationException.class);
        assertThat(written.topic()).isEqualTo(Topics.STEP_COMMANDS);
        assertThat(endOffset(Topics.STEP_COMMANDS)).isEqualTo(before + 1);
    }

    @Test
    void aServiceJoinsOnlyGroupsUnderItsOwnPrefix() {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig(KafkaPrincipals.SECRET_SYNC));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "rotor-orchestrator.step-results");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.STEP_COMMANDS));
            Throwable thrown = catchThrowable(() -> consumer.poll(Duration.ofSeconds(10)));
            assertThat(thrown).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void theBrokerHoldsTheDesignsWritersOfCommandsAndResults() throws Exception {
        assertThat(writers(Topics.STEP_COMMANDS)).containsExactly("User:orchestrator");
        assertThat(writers(Topics.ROTATIONS)).containsExactly("User:orchestrator");
        assertThat(writers(Topics.STEP_RESULTS)).containsExactlyInAnyOrder("User:secret-sync",
                "User:reencrypt-worker");
        assertThat(writers(Topics.ROTATION_REQUESTS)).containsExactly("User:notifier");
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            assertThat(admin.listTopics().names().get()).containsAll(KafkaPrincipals.topics());
        }
    }

    private static Map<String, Object> as(String jaas) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig(KafkaPrincipals.ORCHESTRATOR));
        config.put("sasl.jaas.config", jaas);
        return config;
    }

    private static RecordMetadata send(Map<String, Object> config) throws Exception {
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10000);
        try (var producer = new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(Topics.STEP_COMMANDS, "forged",
                    "{}".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** What the broker answered to one write to rotor.step-commands, unwrapped from the future. */
    private static Throwable refusal(Map<String, Object> config) {
        Throwable thrown = catchThrowable(() -> send(config));
        assertThat(thrown).as("the write was accepted").isNotNull();
        return thrown instanceof ExecutionException ? thrown.getCause() : thrown;
    }

    private static Set<String> writers(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.adminConfig())) {
            AclBindingFilter filter = new AclBindingFilter(
                    new ResourcePatternFilter(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntryFilter(null, null, AclOperation.WRITE, AclPermissionType.ALLOW));
            return admin.describeAcls(filter).values().get().stream().map(AclBinding::entry)
                    .map(e -> e.principal()).collect(Collectors.toSet());
        }
    }

    private static long endOffset(String topic) throws Exception {
        try (var consumer = new KafkaConsumer<>(kafka.clientConfig(KafkaPrincipals.ADMIN), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
