package dev.rotor.orchestrator.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Records every PATCH the client sends to a workload (not the tests' own status writes), exactly as sent: the mock
 * server's CRUD dispatcher consumes the request body, so it is read here, on the way out.
 */
public class SentPatches implements Consumer<KubernetesClientBuilder> {
    /** One patch: path, content type and body. */
    public record Patch(String path, String contentType, String body) {
    }

    private static final List<Patch> SENT = new CopyOnWriteArrayList<>();

    @Override
    public void accept(KubernetesClientBuilder builder) {
        builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("sent-patches", new Interceptor() {
            @Override
            public void before(BasicBuilder basic, HttpRequest request, RequestTags tags) {
                if ("PATCH".equals(request.method()) && !request.uri().getPath().endsWith("/status")) {
                    String type = request instanceof StandardHttpRequest r ? r.getContentType()
                            : request.header("Content-Type");
                    SENT.add(new Patch(request.uri().getPath(), type, request.bodyString()));
                }
            }
        }));
    }

    /** The patches sent since the last call, in order. */
    static synchronized List<Patch> take() {
        List<Patch> out = new ArrayList<>(SENT);
        SENT.removeAll(out);
        return out;
    }
}
