package dev.rotor.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveredEventsTest {

    @Test
    void remembersPerEventAndChannelWithinItsBound() {
        var seen = new DeliveredEvents(2);
        assertThat(seen.firstTime("e1", "slack")).isTrue();
        assertThat(seen.firstTime("e1", "slack")).isFalse();
        assertThat(seen.firstTime("e1", "hook")).isTrue();
        assertThat(seen.firstTime("e2", "slack")).isTrue(); // evicts the eldest, (e1, slack)
        assertThat(seen.size()).isEqualTo(2);
        assertThat(seen.firstTime("e1", "slack")).isTrue();
    }

    @Test
    void aGivenUpDeliveryMayBeTriedAgain() {
        var seen = new DeliveredEvents(10);
        seen.firstTime("e1", "slack");
        seen.forget("e1", "slack");
        assertThat(seen.firstTime("e1", "slack")).isTrue();
    }
}
