package dev.rotor.notifier.consume;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the webhook and Slack receivers and writes the test catalog pointing at them. The webhook URL is literal in
 * the catalog; the Slack URL comes, as in production, from the variable the catalog names (here given as config).
 */
public class ReceiversResource implements QuarkusTestResourceLifecycleManager {
    static final String SLACK_ENV = "ROTOR_TEST_SLACK_WEBHOOK_URL";
    static final String FLAKY_ENV = "ROTOR_TEST_FLAKY_HOOK_URL";

    private Receiver webhook;
    private Receiver slack;

    @Override
    public Map<String, String> start() {
        webhook = new Receiver();
        slack = new Receiver();
        try (InputStream in = getClass().getResourceAsStream("/notifier-test-catalog.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{{WEBHOOK_URL}}", webhook.url("/events"));
            Path dir = Files.createDirectories(Path.of("target", "test-catalog"));
            Path catalog = dir.resolve("catalog.yaml");
            Files.writeString(catalog, yaml);
            return Map.of("rotor.notifier.catalog", catalog.toAbsolutePath().toString(),
                    SLACK_ENV, slack.url("/services/T000/B000/XXXX"),
                    FLAKY_ENV, webhook.url("/flaky"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new Receivers(webhook, slack),
                new TestInjector.MatchesType(Receivers.class));
    }

    @Override
    public void stop() {
        webhook.close();
        slack.close();
    }

    /** What the test sees of the receivers. */
    public record Receivers(Receiver webhook, Receiver slack) {
    }
}
