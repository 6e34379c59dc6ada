package dev.rotor.notifier.catalog;

import dev.rotor.contracts.catalog.ChannelSpec;
import dev.rotor.notifier.channel.HttpChannel;
import dev.rotor.notifier.channel.LogChannel;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.config.NotifierConfig;
import dev.rotor.notifier.delivery.HttpSender;
import dev.rotor.notifier.slack.SlackMessage;
import dev.rotor.notifier.webhook.CloudEventBody;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Builds a channel from its catalog spec. A channel that cannot work (unsupported type, URL variable unset, URL not
 * http(s)) is reported once here, at start-up, and left out: its deliveries are skipped and nothing crashes.
 *
 * <p>{@code url-env} / {@code webhook-url-env} name an environment variable. It is looked up through MicroProfile
 * Config, which reads the real environment first, so a test or a {@code .env} file can also supply it as a config
 * property of exactly that name.
 */
@ApplicationScoped
public class ChannelFactory {
    private static final Logger LOG = Logger.getLogger(ChannelFactory.class);

    private final Config config;
    private final HttpSender sender;
    private final int capacity;

    public ChannelFactory(Config config, HttpSender sender, NotifierConfig notifier) {
        this.config = config;
        this.sender = sender;
        this.capacity = notifier.delivery().queueCapacity();
    }

    public Optional<NotificationChannel> create(String name, ChannelSpec spec) {
        return switch (spec.type()) {
            case "log" -> Optional.of(new LogChannel(name));
            case "webhook" -> http(name, spec, spec.url(), spec.urlEnv(), "url-env", CloudEventBody.CONTENT_TYPE,
                    n -> CloudEventBody.of(n).toJson());
            case "slack" -> http(name, spec, null, spec.webhookUrlEnv(), "webhook-url-env", "application/json",
                    n -> SlackMessage.of(n).toJson());
            default -> {
                LOG.warnf("notify channel '%s': type '%s' is not supported yet by this notifier build (planned: "
                        + "teams, pagerduty, email); its notifications are skipped", name, spec.type());
                yield Optional.empty();
            }
        };
    }

    private Optional<NotificationChannel> http(String name, ChannelSpec spec, String literalUrl, String env,
            String envField, String contentType, Function<Notification, byte[]> render) {
        String url = literalUrl;
        if (url == null || url.isBlank()) {
            if (env == null || env.isBlank()) {
                LOG.warnf("notify channel '%s' (%s): no URL; set %s in the catalog; its notifications are skipped",
                        name, spec.type(), envField.equals("url-env") ? "url or url-env" : envField);
                return Optional.empty();
            }
            url = config.getOptionalValue(env, String.class).filter(v -> !v.isBlank()).orElse(null);
            if (url == null) {
                LOG.warnf("notify channel '%s' (%s): environment variable %s is not set; its notifications are "
                        + "skipped", name, spec.type(), env);
                return Optional.empty();
            }
        }
        Optional<URI> uri = parse(url);
        if (uri.isEmpty()) {
            // Never the value: a Slack webhook URL is a secret.
            LOG.warnf("notify channel '%s' (%s): the URL%s is not an absolute http(s) URL; its notifications are "
                    + "skipped", name, spec.type(), env == null || literalUrl != null ? "" : " in " + env);
            return Optional.empty();
        }
        return Optional.of(new HttpChannel(name, uri.get(), contentType, render, sender, capacity));
    }

    private static Optional<URI> parse(String url) {
        try {
            URI uri = URI.create(url.trim());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
