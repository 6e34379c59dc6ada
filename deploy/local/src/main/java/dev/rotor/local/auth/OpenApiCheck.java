package dev.rotor.local.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a service's OpenAPI document against its compiled resource classes ({@link RoleMatrix#scan}): every endpoint
 * is described, and nothing else; each operation names the roles its rule allows ({@code x-rotor-roles}) and answers
 * 401 and 403 as {@code application/problem+json} with the shared {@code Problem} schema; Swagger UI is served. Returns
 * the failures, one line each; empty when the document is right.
 */
public final class OpenApiCheck {
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApiCheck() {
    }

    public static List<String> check(URI base, List<RoleMatrix.Endpoint> endpoints) {
        List<String> failures = new ArrayList<>();
        JsonNode doc;
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/q/openapi?format=json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return List.of("GET /q/openapi answered " + r.statusCode());
            }
            doc = JSON.readTree(r.body());
            HttpResponse<String> ui = HTTP.send(HttpRequest.newBuilder(base.resolve("/q/swagger-ui/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (ui.statusCode() != 200 || !ui.body().toLowerCase(Locale.ROOT).contains("swagger")) {
                failures.add("GET /q/swagger-ui/ answered " + ui.statusCode() + " without Swagger UI");
            }
        } catch (IOException e) {
            return List.of("cannot read the OpenAPI document: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted");
        }
        if (!doc.path("openapi").asText().startsWith("3.")) {
            failures.add("not an OpenAPI 3 document: openapi=" + doc.path("openapi").asText());
        }
        if (doc.path("components").path("schemas").path("Problem").path("properties").path("title").isMissingNode()) {
            failures.add("no Problem schema in components.schemas");
        }
        Set<String> described = new TreeSet<>();
        for (Iterator<String> paths = doc.path("paths").fieldNames(); paths.hasNext();) {
            String path = paths.next();
            for (Iterator<String> verbs = doc.path("paths").path(path).fieldNames(); verbs.hasNext();) {
                String verb = verbs.next();
                if (Set.of("get", "put", "post", "delete", "patch").contains(verb)) {
                    described.add(verb.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        for (RoleMatrix.Endpoint e : endpoints) {
            String path = openApiPath(e.template());
            String key = e.method() + " " + path;
            expected.add(key);
            JsonNode op = doc.path("paths").path(path).path(e.method().toLowerCase(Locale.ROOT));
            if (op.isMissingNode()) {
                continue; // reported below
            }
            List<String> roles = new ArrayList<>();
            op.path("x-rotor-roles").forEach(n -> roles.add(n.asText()));
            if (!roles.equals(e.roles())) {
                failures.add(key + ": x-rotor-roles " + roles + ", but its rule allows " + e.roles());
            }
            List<String> codes = e.roles().isEmpty() ? List.of("400") : List.of("400", "401", "403");
            for (String code : codes) {
                String ref = op.path("responses").path(code).path("content").path("application/problem+json")
                        .path("schema").path("$ref").asText();
                if (!PROBLEM_REF.equals(ref)) {
                    failures.add(key + ": answer " + code + " is not described as application/problem+json Problem");
                }
            }
        }
        for (String missing : difference(expected, described)) {
            failures.add("not described: " + missing);
        }
        for (String extra : difference(described, expected)) {
            failures.add("described, but no such endpoint: " + extra);
        }
        return failures;
    }

    /** {@code /api/store/{path: .+}/versions} → {@code /api/store/{path}/versions}, as OpenAPI writes templates. */
    static String openApiPath(String template) {
        return template.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
