package dev.rotor.notifier.email;

import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.delivery.Lane;
import dev.rotor.notifier.delivery.RetryPolicy;
import dev.rotor.notifier.event.Links;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * E-mail through Quarkus Mailer (SMTP host, port, user and password are the {@code quarkus.mailer.*} settings, never
 * the catalog). One message per milestone to the channel's {@code to} list, with a text and an HTML part
 * (multipart/alternative). Retries with the same backoff as HTTP channels; every failure is retried (the mailer does
 * not tell a refused recipient from a server that is down), and a log line names the channel and the exception class
 * only, never the server's answer.
 */
public final class EmailChannel implements NotificationChannel {
    private static final Logger LOG = Logger.getLogger(EmailChannel.class);

    private final String name;
    private final List<String> to;
    private final ReactiveMailer mailer;
    private final Function<Notification, Mail> compose;
    private final RetryPolicy policy;
    private final Lane lane;

    /** Milestones: {@code templates/milestone-email.*}, see {@link EmailMessage}. */
    public EmailChannel(String name, List<String> to, ReactiveMailer mailer, Template text, Template html, Links links,
            RetryPolicy policy, int capacity) {
        this(name, to, mailer, n -> {
            EmailMessage message = EmailMessage.of(n, links);
            return mail(message.subject(), text, html, message.data());
        }, policy, capacity);
    }

    /** Any other message: {@code compose} gives subject and body (recipients are the channel's). */
    public EmailChannel(String name, List<String> to, ReactiveMailer mailer, Function<Notification, Mail> compose,
            RetryPolicy policy, int capacity) {
        this.name = name;
        this.to = List.copyOf(to);
        this.mailer = mailer;
        this.compose = compose;
        this.policy = policy;
        this.lane = new Lane(name, capacity);
    }

    /** A text and an HTML part rendered from the two templates with the same values. */
    public static Mail mail(String subject, Template text, Template html, Map<String, Object> data) {
        return new Mail().setSubject(subject).setText(render(text, data)).setHtml(render(html, data));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<Boolean> submit(Notification n) {
        String label = n.milestone() + " of rotation " + n.event().rotationId();
        return lane.enqueue(label, () -> attempt(mail(n), label, 1));
    }

    private Mail mail(Notification n) {
        return compose.apply(n).setTo(to);
    }

    private CompletableFuture<Boolean> attempt(Mail mail, String label, int attempt) {
        return mailer.send(mail).subscribeAsCompletionStage().toCompletableFuture()
                .handle((ok, error) -> {
                    if (error == null) {
                        LOG.debugf("channel '%s': mailed %s (attempt %d)", name, label, attempt);
                        return CompletableFuture.completedFuture(true);
                    }
                    String problem = error.getClass().getSimpleName();
                    if (!policy.mayRetryAfter(attempt)) {
                        LOG.errorf("channel '%s': gave up mailing %s after %d attempts, last: %s", name, label, attempt,
                                problem);
                        return CompletableFuture.completedFuture(false);
                    }
                    long delay = policy.delayAfter(attempt).toMillis();
                    LOG.warnf("channel '%s': mailing %s failed (%s), attempt %d of %d; retrying in %d ms", name, label,
                            problem, attempt, policy.attempts(), delay);
                    return CompletableFuture.supplyAsync(() -> attempt + 1,
                            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                            .thenCompose(next -> attempt(mail, label, next));
                })
                .thenCompose(next -> next);
    }

    private static String render(Template template, Map<String, Object> data) {
        TemplateInstance instance = template.instance();
        data.forEach(instance::data);
        return instance.render();
    }
}
