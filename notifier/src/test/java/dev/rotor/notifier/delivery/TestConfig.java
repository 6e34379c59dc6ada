package dev.rotor.notifier.delivery;

import dev.rotor.notifier.config.NotifierConfig;
import java.time.Duration;
import java.util.Optional;

/** Settings for plain-JUnit tests: 10 ms backoff, so retries take no time. */
public final class TestConfig {
    private TestConfig() {
    }

    public static NotifierConfig notifier(int attempts) {
        NotifierConfig.Delivery delivery = new NotifierConfig.Delivery() {
            public int attempts() {
                return attempts;
            }

            public Duration initialBackoff() {
                return Duration.ofMillis(10);
            }

            public Duration maxBackoff() {
                return Duration.ofMillis(20);
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(1);
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(2);
            }

            public int queueCapacity() {
                return 10;
            }

            public Duration lease() {
                return Duration.ofMinutes(1);
            }

            public Duration sweepInterval() {
                return Duration.ofSeconds(10);
            }
        };
        return new NotifierConfig() {
            public Optional<String> catalog() {
                return Optional.empty();
            }

            public Delivery delivery() {
                return delivery;
            }

            public Dedupe dedupe() {
                return () -> Duration.ofDays(30);
            }

            public Links links() {
                return () -> "https://rotor.example";
            }

            public PagerDuty pagerduty() {
                return () -> "https://events.pagerduty.com/v2/enqueue";
            }

            public Slack slack() {
                return () -> "https://slack.com/api";
            }
        };
    }
}
