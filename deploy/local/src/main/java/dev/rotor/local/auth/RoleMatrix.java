package dev.rotor.local.auth;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A service's endpoint × role matrix, built from its compiled resource classes, so that a new endpoint without a role
 * rule (or without a sample request in its test) fails the test instead of shipping open.
 *
 * <p>For every endpoint it sends: no token, an expired token, a token from another issuer (another key), one signed by
 * the trusted key but naming another issuer, and one for another audience (each must be 401 with
 * {@code WWW-Authenticate: Bearer}); then one token per Rotor role (403 naming the needed role when the role does not
 * grant it, 2xx when it does). Every refusal must be problem+json and must not echo the token.
 */
public final class RoleMatrix {
    /** Rotor's roles and what each includes; the same rule as the services' (dev.rotor.auth.Roles). */
    static final Map<String, List<String>> GRANTS = Map.of(
            "viewer", List.of("viewer"),
            "operator", List.of("operator", "viewer"),
            "responder", List.of("responder", "operator", "viewer"),
            "approver", List.of("approver", "viewer"),
            "service", List.of("service"));
    static final List<String> ROLES = List.of("viewer", "operator", "responder", "approver", "service");

    /** One JAX-RS resource method: HTTP method, path template, and the roles its rule allows (empty = no rule). */
    public record Endpoint(String method, String template, List<String> roles) {
        public String key() {
            return method + " " + template;
        }
    }

    /** A concrete request for an endpoint: the path with its parameters filled in, and a JSON body or null. */
    public record Call(String path, String body) {
    }

    private RoleMatrix() {
    }

    /** Every resource method of the classes under {@code classesDir} (a module's {@code target/classes}). */
    public static List<Endpoint> scan(java.nio.file.Path classesDir) {
        List<Endpoint> out = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(classesDir)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classesDir.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = load(name);
                if (type != null && type.isAnnotationPresent(Path.class)) {
                    out.addAll(endpoints(type));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    static List<Endpoint> endpoints(Class<?> type) {
        String base = type.getAnnotation(Path.class).value();
        List<Endpoint> out = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            String verb = verb(m);
            if (verb == null) {
                continue;
            }
            Path sub = m.getAnnotation(Path.class);
            String template = sub == null ? base : (base + "/" + sub.value()).replaceAll("/+", "/");
            out.add(new Endpoint(verb, template, roles(type, m)));
        }
        return out;
    }

    private static String verb(Method m) {
        if (m.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (m.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (m.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        if (m.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        return m.isAnnotationPresent(PATCH.class) ? "PATCH" : null;
    }

    private static List<String> roles(Class<?> type, Method m) {
        if (m.isAnnotationPresent(PermitAll.class)) {
            return List.of();
        }
        RolesAllowed rule = m.getAnnotation(RolesAllowed.class);
        if (rule == null) {
            rule = type.getAnnotation(RolesAllowed.class);
        }
        return rule == null ? List.of() : Arrays.asList(rule.value());
    }

    /**
     * Runs the whole matrix against {@code base}; {@code samples} gives each endpoint's request for a role (a fresh
     * one per call where a success changes state). Returns the table as text; throws one AssertionError listing every
     * cell that differs.
     */
    public static String run(URI base, List<Endpoint> endpoints, Map<String, Function<String, Call>> samples) {
        LocalAuth trusted = TestAuth.issuer();
        LocalAuth foreign = foreignIssuer();
        Instant later = Instant.now().plus(Duration.ofMinutes(10));
        Map<String, String> refusedTokens = new java.util.LinkedHashMap<>();
        refusedTokens.put("none", null);
        refusedTokens.put("expired", trusted.sign(LocalAuth.ISSUER, LocalAuth.AUDIENCE, "m", ROLES,
                Instant.now().minus(Duration.ofMinutes(10))));
        refusedTokens.put("other-issuer-key", foreign.sign("https://other-issuer.example", LocalAuth.AUDIENCE, "m",
                ROLES, later));
        refusedTokens.put("other-issuer", trusted.sign("https://other-issuer.example", LocalAuth.AUDIENCE, "m",
                ROLES, later));
        refusedTokens.put("other-audience", trusted.sign(LocalAuth.ISSUER, "someone-else", "m", ROLES, later));

        HttpClient http = HttpClient.newHttpClient();
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%-46s %-10s", "endpoint", "needs"));
        refusedTokens.keySet().forEach(k -> table.append(String.format(" %-16s", k)));
        ROLES.forEach(r -> table.append(String.format(" %-9s", r)));
        table.append('\n');
        for (Endpoint e : endpoints) {
            table.append(String.format("%-46s %-10s", e.key(), e.roles().isEmpty() ? "-" : String.join("|",
                    e.roles())));
            if (e.roles().isEmpty()) {
                failures.add(e.key() + " has no @RolesAllowed rule");
                table.append('\n');
                continue;
            }
            Function<String, Call> sample = samples.get(e.key());
            if (sample == null) {
                failures.add(e.key() + " has no sample request in this service's matrix test: add one");
                table.append('\n');
                continue;
            }
            for (Map.Entry<String, String> t : refusedTokens.entrySet()) {
                HttpResponse<String> r = send(http, base, e, sample.apply(null), t.getValue());
                table.append(String.format(" %-16d", r.statusCode()));
                if (r.statusCode() != 401 || !r.headers().firstValue("WWW-Authenticate").orElse("")
                        .startsWith("Bearer")) {
                    failures.add(e.key() + " with token '" + t.getKey() + "': expected 401 with WWW-Authenticate: "
                            + "Bearer, got " + r.statusCode());
                }
                checkProblem(e, t.getKey(), r, t.getValue(), failures);
            }
            for (String role : ROLES) {
                boolean granted = e.roles().stream().anyMatch(GRANTS.get(role)::contains);
                String token = trusted.mint("matrix-" + role, List.of(role), Duration.ofMinutes(5));
                HttpResponse<String> r = send(http, base, e, sample.apply(granted ? role : null), token);
                table.append(String.format(" %-9d", r.statusCode()));
                if (granted && (r.statusCode() < 200 || r.statusCode() > 299)) {
                    failures.add(e.key() + " as " + role + ": expected 2xx, got " + r.statusCode() + " " + r.body());
                } else if (!granted) {
                    if (r.statusCode() != 403 || !r.body().contains("'" + e.roles().get(0) + "'")) {
                        failures.add(e.key() + " as " + role + ": expected 403 naming '" + e.roles().get(0)
                                + "', got " + r.statusCode() + " " + r.body());
                    }
                    checkProblem(e, role, r, token, failures);
                }
            }
            table.append('\n');
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " cells differ:\n  " + String.join("\n  ", failures)
                    + "\n" + table);
        }
        return table.toString();
    }

    private static void checkProblem(Endpoint e, String who, HttpResponse<String> r, String token,
            List<String> failures) {
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            failures.add(e.key() + " refused for '" + who + "' without problem+json");
        }
        if (token != null && (r.body().contains(token) || r.headers().map().toString().contains(token))) {
            failures.add(e.key() + " refused for '" + who + "' and echoed the token");
        }
    }

    private static HttpResponse<String> send(HttpClient http, URI base, Endpoint e, Call call, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(call.path()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (call.body() != null) {
            request.header("Content-Type", "application/json");
            request.method(e.method(), HttpRequest.BodyPublishers.ofString(call.body()));
        } else {
            request.method(e.method(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e1) {
            throw new UncheckedIOException(e1);
        } catch (InterruptedException e1) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e1);
        }
    }

    /** An issuer with a key of its own, which no service trusts. */
    private static LocalAuth foreignIssuer() {
        try {
            return LocalAuth.open(Files.createTempDirectory("rotor-foreign-issuer"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
