#!/bin/bash
# Run once by the kafka-setup service as the super user, and safe to run again: creates the missing topics of
# topics.txt and every grant of acls.txt (adding an existing ACL changes nothing). No service holds CREATE.
set -euo pipefail
: "${ROTOR_KAFKA_ADMIN_PASSWORD:?}"
admin=/tmp/admin.properties
umask 077
cat >"$admin" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$ROTOR_KAFKA_ADMIN_PASSWORD";
PROPS
bin=/opt/kafka/bin
until "$bin/kafka-topics.sh" --bootstrap-server kafka:9092 --command-config "$admin" --list >/dev/null 2>&1; do sleep 1; done
grep -v '^#' /rotor/topics.txt | while read -r topic partitions; do
  "$bin/kafka-topics.sh" --bootstrap-server kafka:9092 --command-config "$admin" --create --if-not-exists \
    --topic "$topic" --partitions "${partitions:-3}" --replication-factor 1
done
grep -v '^#' /rotor/acls.txt | while read -r user operation type pattern name; do
  case $type in TOPIC) resource=(--topic "$name") ;; GROUP) resource=(--group "$name") ;; esac
  "$bin/kafka-acls.sh" --bootstrap-server kafka:9092 --command-config "$admin" --add --allow-principal "User:$user" \
    --operation "$operation" --resource-pattern-type "${pattern,,}" "${resource[@]}" >/dev/null
done
echo "kafka provisioned: $(grep -vc '^#' /rotor/topics.txt) topics, $(grep -vc '^#' /rotor/acls.txt) ACLs"
