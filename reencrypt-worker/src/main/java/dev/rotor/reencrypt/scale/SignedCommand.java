package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.messages.StepRequested;
import org.apache.kafka.common.header.Headers;

/**
 * A step command as it arrived, with the orchestrator's signature: its chunks are published as this very record
 * (headers and payload unchanged, plus a {@link ChunkKey#HEADER} pointer), so that a worker trusts a chunk by the
 * same rule as a command, and no worker needs a key to sign with.
 *
 * @param headers null when the command did not come from Kafka; then it is never split
 */
public record SignedCommand(StepRequested command, Headers headers, byte[] payload) {
}
