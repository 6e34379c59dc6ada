package dev.rotor.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.local.KafkaPrincipals;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rotor's Kafka ACLs as comparable lines, {@code principal OPERATION TYPE PATTERN name}: the local broker's table
 * ({@link KafkaPrincipals}, the one source), and the same read back from Strimzi {@code KafkaUser}s.
 */
final class KafkaAccess {
    private KafkaAccess() {
    }

    static Set<String> localBroker() {
        Set<String> lines = new HashSet<>();
        KafkaPrincipals.acls().forEach(b -> lines.add(String.join(" ",
                b.entry().principal().substring("User:".length()), b.entry().operation().name(),
                b.pattern().resourceType().name(), b.pattern().patternType().name(), b.pattern().name())));
        return lines;
    }

    /** The ACLs of {@code KafkaUser}s with simple authorization; Strimzi's {@code prefix} is Kafka's PREFIXED. */
    static Set<String> of(List<JsonNode> users) {
        Set<String> lines = new HashSet<>();
        for (JsonNode user : users) {
            JsonNode authorization = user.path("spec").path("authorization");
            if (!authorization.path("type").asText().equals("simple")) {
                throw new IllegalArgumentException(user.path("metadata").path("name") + ": not simple authorization");
            }
            for (JsonNode rule : authorization.path("acls")) {
                JsonNode r = rule.path("resource");
                String pattern = r.path("patternType").asText("literal").equals("prefix") ? "PREFIXED" : "LITERAL";
                for (JsonNode op : rule.path("operations")) {
                    lines.add(String.join(" ", user.path("metadata").path("name").asText(),
                            op.asText().toUpperCase(Locale.ROOT), r.path("type").asText().toUpperCase(Locale.ROOT),
                            pattern, r.path("name").asText()));
                }
            }
        }
        return lines;
    }
}
