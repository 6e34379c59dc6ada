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
        return attempt(delivery, 1);
    }

    private CompletableFuture<Boolean> attempt(HttpDelivery d, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(d.url())
                .timeout(config.requestTimeout())
                .header("Content-Type", d.contentType())
                .header("User-Agent", "rotor-notifier")
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        // The class only: some exception messages carry the host and path.
                        return retryOrGiveUp(d, attempt, rootCause(error).getClass().getSimpleName());
                    }
                    int status = response.statusCode();
                    return switch (RetryPolicy.classify(status)) {
                        case DELIVERED -> delivered(d, attempt);
                        case RETRY -> retryOrGiveUp(d, attempt, "HTTP " + status);
                        case GIVE_UP -> refused(d, status);
                    };
                })
                .thenCompose(next -> next);
    }

    private CompletableFuture<Boolean> retryOrGiveUp(HttpDelivery d, int attempt, String problem) {
        if (!policy.mayRetryAfter(attempt)) {
            LOG.errorf("channel '%s': gave up delivering %s after %d attempts, last: %s", d.channel(), d.label(),
                    attempt, problem);
            return CompletableFuture.completedFuture(false);
        }
        long delay = policy.delayAfter(attempt).toMillis();
        LOG.warnf("channel '%s': delivery of %s failed (%s), attempt %d of %d; retrying in %d ms", d.channel(),
                d.label(), problem, attempt, policy.attempts(), delay);
        return CompletableFuture.supplyAsync(() -> attempt + 1,
                        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                .thenCompose(next -> attempt(d, next));
    }

    private static CompletableFuture<Boolean> delivered(HttpDelivery d, int attempt) {
        LOG.debugf("channel '%s': delivered %s (attempt %d)", d.channel(), d.label(), attempt);
        return CompletableFuture.completedFuture(true);
    }

    private static CompletableFuture<Boolean> refused(HttpDelivery d, int status) {
        LOG.warnf("channel '%s': %s refused with HTTP %d; not retried", d.channel(), d.label(), status);
        return CompletableFuture.completedFuture(false);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
