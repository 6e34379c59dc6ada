package dev.rotor.orchestrator.it;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The test as every worker at once: the commands the orchestrator sent, its milestones, and replies to send. */
final class Flow implements AutoCloseable {
    final KafkaProbe commands = KafkaProbe.on(Topics.STEP_COMMANDS);
    final KafkaProbe events = KafkaProbe.on(Topics.ROTATIONS);

    StepRequested await(UUID id, Step step, Direction direction, int attempt) {
        return commands.await(id.toString(), rs -> KafkaProbe.messages(rs).stream()
                        .anyMatch(m -> matches(m, step, direction, attempt)))
                .stream().map(KafkaProbe::read).filter(m -> matches(m, step, direction, attempt))
                .map(StepRequested.class::cast).findFirst().orElseThrow();
    }

    /** Answers {@code command} as its worker would, on rotor.step-results. */
    static void reply(RotorMessage result) {
        KafkaProbe.send(Topics.STEP_RESULTS, result);
    }

    /** The commands sent so far for the rotation, as "STEP/DIRECTION" (attempt > 1 adds "#n"). */
    List<String> commandOrder(UUID id) {
        return KafkaProbe.messages(commands.poll(id.toString())).stream().map(StepRequested.class::cast)
                .map(c -> c.step() + "/" + c.direction() + (c.attempt() > 1 ? "#" + c.attempt() : "")).toList();
    }

    /** Waits for the milestone {@code last}, then returns the milestone names so far ("secret-staged", ...). */
    List<String> milestones(UUID id, String last) {
        List<ConsumerRecord<String, byte[]>> records = events.await(id.toString(),
                rs -> rs.stream().anyMatch(r -> type(last).equals(KafkaProbe.header(r, CloudEvents.TYPE))));
        return records.stream().map(r -> KafkaProbe.header(r, CloudEvents.TYPE))
                .map(t -> t.substring("dev.rotor.".length(), t.length() - ".v1".length())).toList();
    }

    List<RotorMessage> events(UUID id) {
        return KafkaProbe.messages(events.poll(id.toString()));
    }

    private static String type(String name) {
        return "dev.rotor." + name + ".v1";
    }

    private static boolean matches(RotorMessage m, Step step, Direction direction, int attempt) {
        return m instanceof StepRequested c && c.step() == step && c.direction() == direction
                && c.attempt() == attempt;
    }

    @Override
    public void close() {
        commands.close();
        events.close();
    }
}
