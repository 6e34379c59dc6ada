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

    private KafkaBrokerProps() {
    }

    static Properties of(int brokerPort, int controllerPort, Path dataDir) {
        String host = LocalDirs.HOST;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static quorum: the voter set comes from config, so a restart may use a new controller port.
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("listeners", "PLAINTEXT://" + host + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + host + ":"
                + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
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
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "3");
        return p;
    }
}
