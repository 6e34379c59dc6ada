package dev.rotor.local.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a service keeps its {@code /q} endpoints (health, metrics, OpenAPI, Swagger UI) off its public port and
 * serves them on its management port: each answers 401 or 404 on the public port, with no body that could be the
 * endpoint's, and 200 on the management port, the metrics as Prometheus text. Returns the failures, one line each;
 * empty when both ports are right.
 */
public final class ManagementPortCheck {
    static final List<String> PATHS = List.of("/q/metrics", "/q/openapi", "/q/swagger-ui/", "/q/health",
            "/q/health/ready");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ManagementPortCheck() {
    }

    public static List<String> check(URI publicBase, URI management) {
        List<String> failures = new ArrayList<>();
        try {
            for (String path : PATHS) {
                HttpResponse<String> open = get(publicBase.resolve(path));
                if (open.statusCode() != 401 && open.statusCode() != 404) {
                    failures.add("public port: GET " + path + " answered " + open.statusCode());
                } else if (open.body().contains("# TYPE") || open.body().contains("\"openapi\"")
                        || open.body().contains("swagger-ui-bundle") || open.body().contains("\"checks\"")) {
                    failures.add("public port: GET " + path + " answered " + open.statusCode()
                            + " with the endpoint's content");
                }
                HttpResponse<String> served = get(management.resolve(path));
                if (served.statusCode() != 200) {
                    failures.add("management port: GET " + path + " answered " + served.statusCode());
                }
            }
            HttpResponse<String> metrics = get(management.resolve("/q/metrics"));
            String type = metrics.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("text/plain") && !type.startsWith("application/openmetrics-text")) {
                failures.add("management port: /q/metrics is " + type + ", not Prometheus text");
            }
            if (!metrics.body().contains("# TYPE jvm_memory_used_bytes gauge")) {
                failures.add("management port: /q/metrics lacks the JVM series");
            }
        } catch (IOException e) {
            failures.add("cannot reach the service: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        }
        return failures;
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
