package dev.rotor.local;

import dev.rotor.contracts.messages.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the local broker (design §10): one SCRAM principal per service, with only the ACLs it needs, and
 * {@link #ADMIN} as the super user that provisions topics, credentials and these ACLs.
 *
 * <p>This is the one copy of the table: the tests' broker and {@code deploy/rotor up} both apply it. Every service's
 * consumer groups are named {@code rotor-<service>.<channel>} in its application.properties, so each principal reads
 * only the groups under its own prefix. Writing implies DESCRIBE; it is listed anyway so the table reads as the
 * design states it. No service needs CREATE: the broker creates every topic, dead-letter topics included, at start.
 * An idempotent producer needs no IDEMPOTENT_WRITE on the cluster since Kafka 3 (KIP-679): WRITE on a topic suffices.
 */
public final class KafkaPrincipals {

    /** The super user ({@code super.users}); never given to a service. */
    public static final String ADMIN = "admin";
    public static final String ORCHESTRATOR = "orchestrator";
    public static final String SECRET_SYNC = "secret-sync";
    public static final String NOTIFIER = "notifier";
    public static final String REENCRYPT_WORKER = "reencrypt-worker";
    /** The services, each a SCRAM user of the same name. */
    public static final List<String> SERVICES = List.of(ORCHESTRATOR, SECRET_SYNC, NOTIFIER, REENCRYPT_WORKER);
    /** Every principal with a password: the services and {@link #ADMIN}. */
    public static final List<String> ALL = Stream.concat(Stream.of(ADMIN), SERVICES.stream()).toList();

    private KafkaPrincipals() {
    }

    /** The ACL table. */
    public static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        writes(acls, ORCHESTRATOR, Topics.STEP_COMMANDS, Topics.ROTATIONS);
        reads(acls, ORCHESTRATOR, Topics.STEP_RESULTS, Topics.ROTATION_REQUESTS);
        for (String worker : List.of(SECRET_SYNC, REENCRYPT_WORKER)) {
            reads(acls, worker, Topics.STEP_COMMANDS);
            writes(acls, worker, Topics.STEP_RESULTS);
        }
        // Scale-out: a coordinating worker hands chunks of an online job to every worker instance.
        writes(acls, REENCRYPT_WORKER, Topics.REENCRYPT_CHUNKS);
        reads(acls, REENCRYPT_WORKER, Topics.REENCRYPT_CHUNKS);
        reads(acls, NOTIFIER, Topics.ROTATIONS);
        writes(acls, NOTIFIER, Topics.ROTATION_REQUESTS); // the chat-ops bridge
        for (String service : SERVICES) {
            writes(acls, service, Topics.dlq(service));
            acls.add(allow(service, new ResourcePattern(ResourceType.GROUP, groupPrefix(service), PatternType.PREFIXED),
                    AclOperation.READ));
        }
        return List.copyOf(acls);
    }

    /** Every topic the services use, dead-letter topics included, for the broker to create at start. */
    public static List<String> topics() {
        return Stream.concat(Stream.of(Topics.ROTATIONS, Topics.STEP_COMMANDS, Topics.STEP_RESULTS,
                Topics.ROTATION_REQUESTS, Topics.REENCRYPT_CHUNKS), SERVICES.stream().map(Topics::dlq)).toList();
    }

    /**
     * Partitions of a topic, when not the broker's default: the chunk topic has one per worker instance that can take
     * chunks at the same time, and some more so that chunks spread evenly.
     */
    public static Optional<Integer> partitions(String topic) {
        return topic.equals(Topics.REENCRYPT_CHUNKS) ? Optional.of(CHUNK_PARTITIONS) : Optional.empty();
    }

    /** Partitions of {@code rotor.reencrypt-chunks}: up to this many workers take chunks at once. */
    public static final int CHUNK_PARTITIONS = 12;

    /** The prefix of a service's consumer group ids, {@code rotor-<service>.}. */
    public static String groupPrefix(String service) {
        return "rotor-" + service + ".";
    }

    /** {@code User:<name>}, the principal Kafka's authorizer sees for a SCRAM user. */
    public static String principal(String name) {
        return "User:" + name;
    }

    private static void writes(List<AclBinding> acls, String service, String... topics) {
        for (String topic : topics) {
            acls.add(allow(service, topic(topic), AclOperation.WRITE));
            acls.add(allow(service, topic(topic), AclOperation.DESCRIBE));
        }
    }

    private static void reads(List<AclBinding> acls, String service, String... topics) {
        for (String topic : topics) {
            acls.add(allow(service, topic(topic), AclOperation.READ));
            acls.add(allow(service, topic(topic), AclOperation.DESCRIBE));
        }
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static AclBinding allow(String service, ResourcePattern pattern, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry(principal(service), "*", operation,
                AclPermissionType.ALLOW));
    }
}
