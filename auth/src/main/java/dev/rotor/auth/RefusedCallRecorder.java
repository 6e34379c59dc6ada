package dev.rotor.auth;

import io.smallrye.mutiny.Uni;

/**
 * Implemented by a service that audits refused calls (the orchestrator). {@link AuthProblemMappers} calls the one
 * bean of this type, if there is one, for every mutating request it refuses with 403, and answers once the record is
 * written; a failure to record is logged and the answer stays 403. Services without such a bean only answer.
 */
public interface RefusedCallRecorder {
    Uni<Void> record(RefusedCall call);
}
