package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import dev.rotor.contracts.catalog.CredentialSpec;
import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import java.util.List;
import java.util.UUID;

/**
 * What a worker needs to perform a step: references from the catalog entry, and the version numbers the saga has
 * settled so far. Never the material itself; workers read it from the store.
 *
 * @param fromVersion the version that was current when the rotation started (null before STAGE_SECRET answered, or
 *     when the store was empty and nothing could be adopted)
 * @param toVersion the pending version created by STAGE_SECRET (null in the STAGE_SECRET command itself)
 * @param keepPrevious whether UPDATE_SECRET keeps the old version readable as {@code previous} (dual-key, online)
 *     or drops it at once (immediate)
 * @param undoOf set in the commands of a rollback saga: the completed rotation being undone, whose versions
 *     {@code fromVersion} and {@code toVersion} are. REENCRYPT restores that rotation's rows from its shadow (then
 *     re-encrypts what the application wrote since from {@code toVersion} back to {@code fromVersion}); UPDATE_SECRET
 *     makes {@code fromVersion} current again as that rotation's compensation would. Null otherwise
 */
public record StepSpec(String secretId, SecretKind kind, Strategy strategy, GeneratorSpec generator, StoreRef store,
        List<TargetSpec> targets, CredentialSpec credential, ReencryptSpec reencrypt, Integer fromVersion,
        Integer toVersion, boolean keepPrevious, boolean dryRun, UUID undoOf) {
    public StepSpec {
        requireNonNull(secretId, "secretId");
        requireNonNull(strategy, "strategy");
        requireNonNull(store, "store");
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** A spec of an ordinary rotation (not a rollback). */
    public StepSpec(String secretId, SecretKind kind, Strategy strategy, GeneratorSpec generator, StoreRef store,
            List<TargetSpec> targets, CredentialSpec credential, ReencryptSpec reencrypt, Integer fromVersion,
            Integer toVersion, boolean keepPrevious, boolean dryRun) {
        this(secretId, kind, strategy, generator, store, targets, credential, reencrypt, fromVersion, toVersion,
                keepPrevious, dryRun, null);
    }

    public StepSpec withVersions(Integer from, Integer to) {
        return new StepSpec(secretId, kind, strategy, generator, store, targets, credential, reencrypt, from, to,
                keepPrevious, dryRun, undoOf);
    }

    /** This spec for the rollback of {@code rotation}. */
    public StepSpec undoing(UUID rotation) {
        return new StepSpec(secretId, kind, strategy, generator, store, targets, credential, reencrypt, fromVersion,
                toVersion, keepPrevious, dryRun, rotation);
    }
}
