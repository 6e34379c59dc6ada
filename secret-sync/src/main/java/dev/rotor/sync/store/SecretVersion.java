package dev.rotor.sync.store;

import java.time.Instant;
import java.util.UUID;

/**
 * What the store knows about one version, without its material.
 *
 * @param createdBy the rotation that created it (null for an adopted version); STAGE_SECRET de-duplicates on it
 * @param basedOn the version that was current when this one was staged (null when nothing was)
 * @param adopted true when the value was taken over from the first target rather than generated
 * @param promotedBy the rotation that last made it current
 * @param destroyed true once the material is gone (retired versions)
 * @param archivedUntil for a retired version kept by an archiving store: when it may be destroyed (else null)
 */
public record SecretVersion(int version, Label label, Instant createdAt, Instant promotedAt, Instant retiredAt,
        UUID createdBy, Integer basedOn, boolean adopted, UUID promotedBy, boolean destroyed,
        Instant archivedUntil) {
}
