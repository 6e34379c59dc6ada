package dev.rotor.local;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The broker settings for a one-node KRaft cluster, kept apart from the lifecycle code so the choices and their
 * reasons sit in one place.
 */
final class KafkaBrokerProps {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String CLIENT_LISTENER = "CLIENT";

    private KafkaBrokerProps() {
    }

    static Properties of(int brokerPort, int controllerPort, Path dataDir, KafkaCredentials credentials) {
        String host = LocalDirs.HOST;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static quorum: the voter set comes from config, so a restart may use a new controller port.
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", CLIENT_LISTENER + "://" + host + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + host
                + ":" + controllerPort);
        p.put("advertised.listeners", CLIENT_LISTENER + "://" + host + ":" + brokerPort);
        p.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER
                + ":SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", CLIENT_LISTENER);
        security(p, credentials);
        p.put("log.dirs", dataDir.toString());
        p.put("metadata.log.dir", dataDir.toString());
        // One node: internal topics cannot have more replicas than brokers.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        // Tests join fresh groups all the time; the 3 s default delay would dominate their run time.
        p.put("group.initial.rebalance.delay.ms", "0");
        // The default 128 MB dedupe buffer is most of the heap; 2 MB takes the broker from ~160 MB to ~35 MB.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        // Only the super user holds CREATE, so this serves tests' own topics; services find theirs created at start.
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "3");
        return p;
    }

    /**
     * SCRAM-SHA-512 for clients, whose credentials live in the cluster metadata, and PLAIN for the controller
     * listener, because a controller must authenticate the broker before any metadata is loaded (KRaft does not
     * support SCRAM there). Both authenticate as the super user, so no listener admits an anonymous principal, and
     * the ACL authorizer denies whatever the table of {@link KafkaPrincipals} does not allow.
     */
    private static void security(Properties p, KafkaCredentials credentials) {
        String admin = KafkaPrincipals.ADMIN;
        String password = credentials.password(admin);
        p.put("sasl.enabled.mechanisms", KafkaCredentials.MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", KafkaCredentials.MECHANISM);
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config", credentials.jaasConfig(admin));
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin
                        + "\" password=\"" + password + "\" user_" + admin + "=\"" + password + "\";");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", KafkaPrincipals.principal(admin));
        p.put("allow.everyone.if.no.acl.found", "false");
    }
}
