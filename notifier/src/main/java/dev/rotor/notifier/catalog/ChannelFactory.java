package dev.rotor.notifier.catalog;

import dev.rotor.contracts.catalog.ChannelSpec;
import dev.rotor.notifier.channel.HttpChannel;
import dev.rotor.notifier.channel.LogChannel;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.config.NotifierConfig;
import dev.rotor.notifier.delivery.DeliveredEvents;
import dev.rotor.notifier.delivery.HttpSender;
import dev.rotor.notifier.delivery.RetryPolicy;
import dev.rotor.notifier.email.EmailChannel;
import dev.rotor.notifier.event.Links;
import dev.rotor.notifier.notice.UserNotice;
import dev.rotor.notifier.pagerduty.PagerDutyMessages;
import dev.rotor.notifier.slack.SlackBotMessages;
import dev.rotor.notifier.slack.SlackMessage;
import dev.rotor.notifier.teams.TeamsCard;
import dev.rotor.notifier.webhook.CloudEventBody;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Builds a channel from its catalog spec. A channel that cannot work (a variable it names is unset, a URL that is not
 * http(s)) is reported once here, at start-up, by channel name and variable name, and left out: its deliveries are
 * skipped and nothing crashes. The catalog itself refuses a literal secret (see contracts' {@code CatalogLoader}).
 *
 * <p>{@code url-env}, {@code webhook-url-env}, {@code routing-key-env} and {@code token-env} name an environment
 * variable. It is looked up through MicroProfile Config, which reads the real environment first, so a test or a
 * {@code .env} file can also supply it as a config property of exactly that name. Values are never logged.
 */
@ApplicationScoped
public class ChannelFactory {
    private static final Logger LOG = Logger.getLogger(ChannelFactory.class);
    /** The prefix of a user-notice channel's name (metrics, delivery claims, dead letters). */
    public static final String USER_NOTICE = "user-notice:";

    private final Config config;
    private final HttpSender sender;
    private final DeliveredEvents delivered;
    private final ReactiveMailer mailer;
    private final Template text;
    private final Template html;
    private final Template noticeText;
    private final Template noticeHtml;
    private final NotifierConfig notifier;
    private final int capacity;
    private final Links links;

    public ChannelFactory(Config config, HttpSender sender, NotifierConfig notifier, DeliveredEvents delivered,
            ReactiveMailer mailer, @Location("milestone-email.txt") Template text,
            @Location("milestone-email.html") Template html, @Location("user-notice-email.txt") Template noticeText,
            @Location("user-notice-email.html") Template noticeHtml) {
        this.config = config;
        this.sender = sender;
        this.notifier = notifier;
        this.delivered = delivered;
        this.mailer = mailer;
        this.text = text;
        this.html = html;
        this.noticeText = noticeText;
        this.noticeHtml = noticeHtml;
        this.capacity = notifier.delivery().queueCapacity();
        this.links = new Links(notifier.links().orchestratorUrl());
    }

    public Optional<NotificationChannel> create(String name, ChannelSpec spec) {
        return switch (spec.type()) {
            case "log" -> Optional.of(new LogChannel(name));
            case "webhook" -> webhook(name, spec);
            case "slack" -> slack(name, spec);
            case "teams" -> url(name, spec, spec.webhookUrlEnv(), "webhook-url-env").map(url -> new HttpChannel(name,
                    url, "application/json", n -> TeamsCard.of(n, links).toJson(), sender, capacity));
            case "pagerduty" -> pagerDuty(name, spec);
            case "email" -> Optional.of(new EmailChannel(name, spec.to(), mailer, text, html, links, policy(),
                    capacity));
            default -> {
                LOG.warnf("notify channel '%s': type '%s' is not known to this notifier; its notifications are skipped",
                        name, spec.type());
                yield Optional.empty();
            }
        };
    }

    /**
     * The channel that tells an app's end users (catalog {@code user-notice}) through the webhook or email channel
     * {@code name}: its URL or recipients, with the notice ({@code notices}, by the milestone's secret) as body. Named
     * {@code user-notice:<name>}, so its deliveries are recorded apart from the channel's milestones.
     */
    public Optional<NotificationChannel> userNotice(String name, ChannelSpec spec,
            Function<Notification, UserNotice> notices) {
        String channel = USER_NOTICE + name;
        return switch (spec.type()) {
            case "webhook" -> webhookUrl(name, spec).map(url -> new HttpChannel(channel, url, "application/json",
                    n -> notices.apply(n).toJson(n.event()), sender, capacity));
            case "email" -> Optional.of(new EmailChannel(channel, spec.to(), mailer, n -> {
                UserNotice notice = notices.apply(n);
                return EmailChannel.mail(notice.subject(), noticeText, noticeHtml, notice.emailData());
            }, policy(), capacity));
            default -> {
                LOG.warnf("notify channel '%s': type '%s' cannot carry a user notice; notices are skipped", name,
                        spec.type());
                yield Optional.empty();
            }
        };
    }

    private Optional<NotificationChannel> webhook(String name, ChannelSpec spec) {
        return webhookUrl(name, spec).map(u -> new HttpChannel(name, u, CloudEventBody.CONTENT_TYPE,
                n -> CloudEventBody.of(n).toJson(), sender, capacity));
    }

    private Optional<URI> webhookUrl(String name, ChannelSpec spec) {
        Optional<URI> url;
        if (spec.url() != null && !spec.url().isBlank()) {
            url = parse(spec.url());
            if (url.isEmpty()) {
                LOG.warnf("notify channel '%s' (webhook): the url is not an absolute http(s) URL; its notifications "
                        + "are skipped", name);
            }
        } else {
            url = url(name, spec, spec.urlEnv(), "url or url-env");
        }
        return url;
    }

    /** Bot mode when the token's variable is set; otherwise today's incoming webhook. */
    private Optional<NotificationChannel> slack(String name, ChannelSpec spec) {
        if (spec.tokenEnv() != null) {
            Optional<String> token = value(spec.tokenEnv());
            Optional<URI> api = parse(notifier.slack().apiUrl());
            if (token.isPresent() && api.isPresent()) {
                return Optional.of(new HttpChannel(name, new SlackBotMessages(name, api.get(), token.get(),
                        spec.channel(), delivered.memory(name)), sender, capacity));
            }
            if (api.isEmpty()) {
                LOG.warnf("notify channel '%s' (slack): rotor.notifier.slack.api-url is not an absolute http(s) URL",
                        name);
            } else if (spec.webhookUrlEnv() == null) {
                LOG.warnf("notify channel '%s' (slack): environment variable %s is not set; its notifications are "
                        + "skipped", name, spec.tokenEnv());
                return Optional.empty();
            } else {
                LOG.infof("notify channel '%s' (slack): environment variable %s is not set; using the incoming "
                        + "webhook in %s", name, spec.tokenEnv(), spec.webhookUrlEnv());
            }
        }
        return url(name, spec, spec.webhookUrlEnv(), "webhook-url-env").map(url -> new HttpChannel(name, url,
                "application/json", n -> SlackMessage.of(n).toJson(), sender, capacity));
    }

    private Optional<NotificationChannel> pagerDuty(String name, ChannelSpec spec) {
        Optional<URI> events = parse(notifier.pagerduty().eventsUrl());
        if (events.isEmpty()) {
            LOG.warnf("notify channel '%s' (pagerduty): rotor.notifier.pagerduty.events-url is not an absolute "
                    + "http(s) URL; its notifications are skipped", name);
            return Optional.empty();
        }
        return required(name, spec, spec.routingKeyEnv(), "routing-key-env").map(key -> new HttpChannel(name,
                new PagerDutyMessages(events.get(), key, links, delivered.memory(name)), sender, capacity));
    }

    /** The URL held by the variable {@code env}, checked to be absolute http(s). */
    private Optional<URI> url(String name, ChannelSpec spec, String env, String field) {
        Optional<URI> url = required(name, spec, env, field).flatMap(ChannelFactory::parse);
        if (url.isEmpty() && env != null && value(env).isPresent()) {
            // Never the value: a Slack or Teams webhook URL is a secret.
            LOG.warnf("notify channel '%s' (%s): the URL in %s is not an absolute http(s) URL; its notifications are "
                    + "skipped", name, spec.type(), env);
        }
        return url;
    }

    private Optional<String> required(String name, ChannelSpec spec, String env, String field) {
        if (env == null || env.isBlank()) {
            LOG.warnf("notify channel '%s' (%s): set %s in the catalog; its notifications are skipped", name,
                    spec.type(), field);
            return Optional.empty();
        }
        Optional<String> value = value(env);
        if (value.isEmpty()) {
            LOG.warnf("notify channel '%s' (%s): environment variable %s is not set; its notifications are skipped",
                    name, spec.type(), env);
        }
        return value;
    }

    private Optional<String> value(String env) {
        return config.getOptionalValue(env, String.class).map(String::trim).filter(v -> !v.isEmpty());
    }

    private RetryPolicy policy() {
        NotifierConfig.Delivery d = notifier.delivery();
        return new RetryPolicy(d.attempts(), d.initialBackoff(), d.maxBackoff());
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
