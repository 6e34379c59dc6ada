package dev.rotor.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.notifier.delivery.RetryPolicy.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void retriesOnlyTransientStatuses() {
        assertThat(RetryPolicy.classify(200)).isEqualTo(Verdict.DELIVERED);
        assertThat(RetryPolicy.classify(204)).isEqualTo(Verdict.DELIVERED);
        assertThat(RetryPolicy.classify(429)).isEqualTo(Verdict.RETRY);
        assertThat(RetryPolicy.classify(503)).isEqualTo(Verdict.RETRY);
        assertThat(RetryPolicy.classify(400)).isEqualTo(Verdict.GIVE_UP);
        assertThat(RetryPolicy.classify(404)).isEqualTo(Verdict.GIVE_UP);
        assertThat(RetryPolicy.classify(302)).isEqualTo(Verdict.GIVE_UP);
    }

    @Test
    void backoffDoublesUpToTheCapAndAttemptsAreBounded() {
        var policy = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(1));
        assertThat(policy.delayAfter(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.delayAfter(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.mayRetryAfter(4)).isTrue();
        assertThat(policy.mayRetryAfter(5)).isFalse();
    }
}
