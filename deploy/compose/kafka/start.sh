#!/bin/bash
# One KRaft node (broker and controller) with SASL/SCRAM-SHA-512 for clients and the StandardAuthorizer, as
# deploy/local's KafkaBrokerProps configures the embedded broker: PLAIN on the controller listener (KRaft cannot use
# SCRAM there), the admin as the only super user, and no ACL means no access. The SCRAM credentials of the admin and
# of the four services are written into the metadata when the data volume is formatted (first start only).
set -euo pipefail
: "${ROTOR_KAFKA_ADMIN_PASSWORD:?}" "${ROTOR_KAFKA_CLUSTER_ID:?}"
config=/tmp/server.properties
umask 077
cat >"$config" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@kafka:9093
controller.listener.names=CONTROLLER
listeners=CLIENT://:9092,CONTROLLER://:9093
advertised.listeners=CLIENT://kafka:9092
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=CLIENT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$ROTOR_KAFKA_ADMIN_PASSWORD";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$ROTOR_KAFKA_ADMIN_PASSWORD" user_admin="$ROTOR_KAFKA_ADMIN_PASSWORD";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
log.dirs=/var/lib/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
default.replication.factor=1
min.insync.replicas=1
num.partitions=3
auto.create.topics.enable=false
PROPS
if [[ ! -f /var/lib/kafka/data/meta.properties ]]; then
  scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$ROTOR_KAFKA_ADMIN_PASSWORD]")
  for user in orchestrator secret-sync notifier reencrypt-worker; do
    var=ROTOR_KAFKA_${user^^}_PASSWORD; var=${var//-/_}
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=${!var:?$var is not set}]")
  done
  /opt/kafka/bin/kafka-storage.sh format --cluster-id "$ROTOR_KAFKA_CLUSTER_ID" --config "$config" "${scram[@]}"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$config"
