package dev.rotor.orchestrator.audit;

import dev.rotor.auth.RefusedCall;
import dev.rotor.auth.RefusedCallRecorder;
import io.quarkus.arc.Unremovable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Audits every mutating call the auth library refuses with 403 ({@code request-refused}), in a transaction of its
 * own: who tried which call, holding which roles, lacking which role, from where. The rotation is named when the path
 * names one.
 */
@ApplicationScoped
@Unremovable // looked up by the auth library through Instance<RefusedCallRecorder>
public class RefusalAuditor implements RefusedCallRecorder {
    private static final Pattern ROTATION = Pattern.compile("^/api/rotations/([0-9a-fA-F-]{36})(/|$)");

    @Inject
    AuditLog audit;

    @Override
    public Uni<Void> record(RefusedCall call) {
        Actor actor = new Actor(call.subject(), call.roles(),
                call.subject().startsWith("cli:") ? AuditSource.CLI : AuditSource.REST, call.clientAddress());
        AuditRecord record = new AuditRecord(call.at(), AuditKinds.REQUEST_REFUSED, actor, null, null,
                rotationIn(call.path()), Map.of("method", call.method(), "path", String.valueOf(call.path()),
                        "requiredRole", call.requiredRole(), "status", 403));
        return audit.appendAlone(List.of(record));
    }

    static UUID rotationIn(String path) {
        Matcher m = path == null ? null : ROTATION.matcher(path);
        if (m == null || !m.find()) {
            return null;
        }
        try {
            return UUID.fromString(m.group(1));
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }
}
