package dev.rotor.local;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * What the super user sets up on every broker start: Rotor's topics, the services' SCRAM credentials and the ACL
 * table of {@link KafkaPrincipals}.
 *
 * <p>Every part is idempotent (missing topics only; an upsert of each credential, which also takes a changed password
 * file; creating an existing ACL is a no-op), so a restart on a formatted data dir runs it again unchanged.
 */
final class KafkaProvisioning {
    private static final int SCRAM_ITERATIONS = 8192;

    private KafkaProvisioning() {
    }

    static void apply(Map<String, Object> adminConfig, KafkaCredentials credentials) {
        try (Admin admin = Admin.create(adminConfig)) {
            createTopics(admin);
            List<UserScramCredentialAlteration> users = KafkaPrincipals.SERVICES.stream()
                    .<UserScramCredentialAlteration>map(s -> new UserScramCredentialUpsertion(s,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                            credentials.password(s)))
                    .toList();
            admin.alterUserScramCredentials(users).all().get(10, TimeUnit.SECONDS);
            admin.createAcls(KafkaPrincipals.acls()).all().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning Kafka", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot provision Rotor's topics, users and ACLs: " + cause.getMessage(),
                    cause);
        }
    }

    /**
     * Creates the missing topics with the broker's defaults ({@code num.partitions}, one replica; the chunk topic gets
     * {@link KafkaPrincipals#CHUNK_PARTITIONS}), so services that
     * start before anything was published get their partitions at their first group join rather than at a later
     * metadata refresh, and no service needs CREATE.
     */
    private static void createTopics(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        List<NewTopic> missing = KafkaPrincipals.topics().stream().filter(t -> !existing.contains(t))
                .map(t -> new NewTopic(t, KafkaPrincipals.partitions(t), Optional.empty())).toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
        }
    }
}
