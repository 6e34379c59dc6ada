package dev.rotor.notifier.delivery;

import dev.rotor.notifier.config.NotifierConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * POSTs with retries, fully asynchronous: waiting for a slow or failing receiver never holds a thread, the Kafka
 * consumer or the saga. Log lines name the channel, never the URL, and never the body.
 */
@ApplicationScoped
public class HttpSender {
    private static final Logger LOG = Logger.getLogger(HttpSender.class);

    private static final HttpDelivery.Reply NOT_DELIVERED = new HttpDelivery.Reply(false, new byte[0]);

    private final HttpClient client;
    private final RetryPolicy policy;
    private final NotifierConfig.Delivery config;

    public HttpSender(NotifierConfig config) {
        this.config = config.delivery();
        this.policy = new RetryPolicy(this.config.attempts(), this.config.initialBackoff(),
                this.config.maxBackoff());
        this.client = HttpClient.newBuilder()
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Completes with true once delivered, false when given up; never exceptionally. */
    public CompletableFuture<Boolean> send(HttpDelivery delivery) {
        return exchange(delivery).thenApply(HttpDelivery.Reply::delivered);
    }

    /** As {@link #send}, with the delivered response's body (Slack's message {@code ts}). */
    public CompletableFuture<HttpDelivery.Reply> exchange(HttpDelivery delivery) {
        return attempt(delivery, 1);
    }

    private CompletableFuture<HttpDelivery.Reply> attempt(HttpDelivery d, int attempt) {
        HttpRequest.Builder request = HttpRequest.newBuilder(d.url())
                .timeout(config.requestTimeout())
                .header("Content-Type", d.contentType())
                .header("User-Agent", "rotor-notifier")
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()));
        d.headers().forEach(request::header);
        // The body is read only where the check looks at it (Slack); a webhook's answer is dropped unread.
        HttpResponse.BodyHandler<byte[]> reading = d.check() == HttpDelivery.ResponseCheck.BY_STATUS
                ? info -> HttpResponse.BodySubscribers.replacing(new byte[0])
                : HttpResponse.BodyHandlers.ofByteArray();
        return client.sendAsync(request.build(), reading)
                .handle((response, error) -> {
                    if (error != null) {
                        // The class only: some exception messages carry the host and path.
                        return retryOrGiveUp(d, attempt, rootCause(error).getClass().getSimpleName());
                    }
                    int status = response.statusCode();
                    byte[] body = response.body() == null ? new byte[0] : response.body();
                    return switch (d.check().verdict(status, body)) {
                        case DELIVERED -> delivered(d, attempt, body);
                        case RETRY -> retryOrGiveUp(d, attempt, "HTTP " + status);
                        case GIVE_UP -> refused(d, status);
                    };
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<HttpDelivery.Reply> retryOrGiveUp(HttpDelivery d, int attempt, String problem) {
        if (!policy.mayRetryAfter(attempt)) {
            LOG.errorf("channel '%s': gave up delivering %s after %d attempts, last: %s", d.channel(), d.label(),
                    attempt, problem);
            return CompletableFuture.completedFuture(NOT_DELIVERED);
        }
        long delay = policy.delayAfter(attempt).toMillis();
        LOG.warnf("channel '%s': delivery of %s failed (%s), attempt %d of %d; retrying in %d ms", d.channel(),
                d.label(), problem, attempt, policy.attempts(), delay);
        return CompletableFuture.supplyAsync(() -> attempt + 1,
                        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                .thenCompose(next -> attempt(d, next));
    }

    private static CompletableFuture<HttpDelivery.Reply> delivered(HttpDelivery d, int attempt, byte[] body) {
        LOG.debugf("channel '%s': delivered %s (attempt %d)", d.channel(), d.label(), attempt);
        return CompletableFuture.completedFuture(new HttpDelivery.Reply(true, body));
    }

    // The status only: a refusal's body may echo what was sent.
    private static CompletableFuture<HttpDelivery.Reply> refused(HttpDelivery d, int status) {
        LOG.warnf("channel '%s': %s refused with HTTP %d; not retried", d.channel(), d.label(), status);
        return CompletableFuture.completedFuture(NOT_DELIVERED);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
