package dev.rotor.reencrypt.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.ColumnSpec;
import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.reencrypt.bench.LockboxTable;
import dev.rotor.reencrypt.engine.ColumnTarget;
import dev.rotor.reencrypt.engine.Mode;
import dev.rotor.reencrypt.engine.ReencryptJob;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several chunks run at once on one worker: keys are loaded once per job and never destroyed under a running chunk. */
class ChunkKeysTest {
    private final ChunkKeys keys = new ChunkKeys();
    private final AtomicInteger loads = new AtomicInteger();

    @AfterEach
    void stop() {
        keys.stop();
    }

    @Test
    void chunksOfOneJobShareOneLoadOfItsKeys() {
        StepRequested a = command(UUID.randomUUID());
        try (ChunkKeys.Lease first = keys.acquire(a, this::load); ChunkKeys.Lease second = keys.acquire(a, this::load)) {
            assertThat(second.job()).isSameAs(first.job());
            assertThat(loads).hasValue(1);
        }
        try (ChunkKeys.Lease third = keys.acquire(a, this::load)) {
            assertThat(loads).as("held after its chunks ended, for the next chunk of the job").hasValue(1);
            assertThat(third.job().from().isDestroyed()).isFalse();
        }
    }

    @Test
    void aChunkOfAnotherJobNeverDestroysKeysARunningChunkHolds() {
        StepRequested a = command(UUID.randomUUID());
        StepRequested b = command(UUID.randomUUID());
        ChunkKeys.Lease runningA = keys.acquire(a, this::load);
        ReencryptJob jobA = runningA.job();
        try (ChunkKeys.Lease runningB = keys.acquire(b, this::load)) {
            assertThat(jobA.from().isDestroyed()).as("A's chunk is still running").isFalse();
            assertThat(jobA.to().isDestroyed()).isFalse();
            assertThat(keys.held()).isEqualTo(2);
            runningA.close();
            assertThat(jobA.from().isDestroyed()).as("kept until the next chunk of another job, or idle").isFalse();
            runningA.close(); // closing twice changes nothing
            ReencryptJob jobB = runningB.job();
            try (ChunkKeys.Lease moreB = keys.acquire(b, this::load)) {
                assertThat(moreB.job()).isSameAs(jobB);
            }
            StepRequested c = command(UUID.randomUUID());
            try (ChunkKeys.Lease runningC = keys.acquire(c, this::load)) {
                assertThat(jobA.from().isDestroyed()).as("no chunk of A runs: destroyed").isTrue();
                assertThat(jobA.to().isDestroyed()).isTrue();
                assertThat(jobB.from().isDestroyed()).as("B's chunk still runs").isFalse();
                assertThat(keys.held()).isEqualTo(2);
            }
        }
        assertThat(loads).hasValue(3);
    }

    @Test
    void idleKeysAreDestroyedAndHeldOnesAreNot() {
        StepRequested a = command(UUID.randomUUID());
        StepRequested b = command(UUID.randomUUID());
        ChunkKeys.Lease runningA = keys.acquire(a, this::load);
        ReencryptJob jobB;
        try (ChunkKeys.Lease lease = keys.acquire(b, this::load)) {
            jobB = lease.job();
        }
        keys.expire(0);
        assertThat(jobB.from().isDestroyed()).isTrue();
        assertThat(runningA.job().from().isDestroyed()).isFalse();
        assertThat(keys.held()).isEqualTo(1);
        runningA.close();
        keys.expire(0);
        assertThat(runningA.job().from().isDestroyed()).isTrue();
        assertThat(keys.held()).isZero();
    }

    @Test
    void keysDestroyedUnderTheCacheAreReadAgainAndTheOldOnesGoWithTheirLastChunk() {
        StepRequested a = command(UUID.randomUUID());
        ChunkKeys.Lease first = keys.acquire(a, this::load);
        first.job().to().destroy();
        try (ChunkKeys.Lease second = keys.acquire(a, this::load)) {
            assertThat(second.job()).isNotSameAs(first.job());
            assertThat(second.job().to().isDestroyed()).isFalse();
            assertThat(loads).hasValue(2);
            first.close();
            assertThat(first.job().from().isDestroyed()).as("replaced, and its last chunk ended").isTrue();
            assertThat(second.job().from().isDestroyed()).isFalse();
        }
    }

    @Test
    void theCoordinatorsKeysServeItsChunksAsCopiesThatOutliveIt() {
        StepRequested a = command(UUID.randomUUID());
        ReencryptJob coordinators = load();
        ReencryptJob copied;
        try (ChunkKeys.Lease shared = keys.share(a, coordinators)) {
            copied = shared.job();
            assertThat(copied.from()).isNotSameAs(coordinators.from());
            assertThat(copied.from().sameSecretAs(coordinators.from())).isTrue();
            assertThat(copied.to().sameSecretAs(coordinators.to())).isTrue();
            try (ChunkKeys.Lease chunk = keys.acquire(a, this::load)) {
                assertThat(chunk.job()).as("no store read for the chunk").isSameAs(copied);
                coordinators.from().destroy(); // the coordinator's step ended
                coordinators.to().destroy();
                assertThat(chunk.job().from().isDestroyed()).isFalse();
            }
        }
        assertThat(loads).as("only the coordinator's own load").hasValue(1);
        keys.expire(0);
        assertThat(copied.from().isDestroyed()).isTrue();
    }

    private ReencryptJob load() {
        loads.incrementAndGet();
        return new ReencryptJob(LockboxTable.CODEC, List.of(ColumnTarget.of(new ColumnSpec("t", "id",
                "value_ciphertext", "t", null))), Mode.ONLINE, false, MasterKey.of(1, bytes(1)),
                MasterKey.of(2, bytes(2)));
    }

    private static byte[] bytes(int fill) {
        byte[] b = new byte[MasterKey.LENGTH];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    private static StepRequested command(UUID rotation) {
        ReencryptSpec re = new ReencryptSpec("tooljet", "lockbox", "online",
                List.of(new ColumnSpec("t", "id", "value_ciphertext", "t", "value")), null);
        StepSpec spec = new StepSpec("lockbox-master-key", null, Strategy.ONLINE_REENCRYPT, null,
                new StoreRef("local", "/nowhere", null), List.of(), null, re, 1, 2, false, false);
        return new StepRequested(rotation, Step.REENCRYPT, 1, Direction.FORWARD, spec, Instant.now());
    }
}
