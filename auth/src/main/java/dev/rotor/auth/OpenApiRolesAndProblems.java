package dev.rotor.auth;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes every service's OpenAPI document the same way: each operation states the roles it requires (the
 * {@code x-rotor-roles} extension, and a sentence in its description, from the resource method's
 * {@code @RolesAllowed}), and each error answer it can give is described as {@code application/problem+json} with the
 * shared {@code Problem} schema (RFC 9457, as {@link AuthProblem} and every service's own problems are written).
 *
 * <p>It finds the resource method through the operation id, which the services configure as
 * {@code PACKAGE_CLASS_METHOD} ({@code dev.rotor.x.Resource_method}); the id is then shortened to
 * {@code Resource_method}. Registered in each service as {@code mp.openapi.filter}.
 */
public class OpenApiRolesAndProblems implements OASFilter {
    /** The extension that lists an operation's roles; absent on an operation anyone may call. */
    public static final String ROLES = "x-rotor-roles";
    static final String PROBLEM = "Problem";
    private static final String REF = "#/components/schemas/" + PROBLEM;

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(PROBLEM, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        // ApiFallback's catch-all (a 404, or 401 without a token, for every path no resource serves) is not an API.
        String fallback = ApiFallback.class.getName() + "_";
        for (String path : List.copyOf(openAPI.getPaths().getPathItems().keySet())) {
            Map<PathItem.HttpMethod, Operation> operations = openAPI.getPaths().getPathItem(path).getOperations();
            if (operations != null && !operations.isEmpty() && operations.values().stream()
                    .allMatch(o -> o.getOperationId() != null && o.getOperationId().startsWith(fallback))) {
                openAPI.getPaths().removePathItem(path);
            }
        }
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            Map<PathItem.HttpMethod, Operation> operations = path.getValue().getOperations();
            if (operations == null) {
                continue;
            }
            operations.forEach((verb, operation) -> complete(path.getKey(), verb, operation));
        }
    }

    private static void complete(String path, PathItem.HttpMethod verb, Operation operation) {
        Optional<Method> method = method(operation.getOperationId());
        List<String> roles = method.map(OpenApiRolesAndProblems::roles).orElse(List.of());
        if (operation.getOperationId() != null) {
            String id = operation.getOperationId();
            operation.setOperationId(id.substring(id.lastIndexOf('.') + 1));
        }
        if (!roles.isEmpty()) {
            operation.addExtension(ROLES, roles);
            String needs = "Requires the role " + String.join(" or ", roles) + " (a role includes the ones below it).";
            operation.setDescription(operation.getDescription() == null ? needs
                    : operation.getDescription() + "\n\n" + needs);
        }
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        problem(responses, "400", "The request is malformed: the problem names the parameter or field");
        if (!roles.isEmpty()) {
            problem(responses, "401", "No valid bearer token");
            problem(responses, "403", "The token lacks the role " + roles.get(0));
        }
        if (path.contains("{")) {
            problem(responses, "404", "No such resource");
        }
        if (operation.getRequestBody() != null) {
            problem(responses, "415", "The body is not JSON");
        }
        if (verb == PathItem.HttpMethod.POST || verb == PathItem.HttpMethod.PUT) {
            problem(responses, "409", "The request conflicts with the resource's state");
        }
        problem(responses, "500", "An internal error; the problem says what failed, never a secret");
        // Any other error answer a resource declared itself gets the problem body too.
        responses.getAPIResponses().forEach((code, response) -> {
            if (code.length() == 3 && code.charAt(0) >= '4' && response.getContent() == null) {
                response.setContent(problemContent());
            }
        });
    }

    private static void problem(APIResponses responses, String code, String description) {
        APIResponse existing = responses.getAPIResponse(code);
        if (existing == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description)
                    .content(problemContent()));
        } else if (existing.getContent() == null) {
            existing.setContent(problemContent());
        }
    }

    private static org.eclipse.microprofile.openapi.models.media.Content problemContent() {
        return OASFactory.createContent().addMediaType(AuthProblem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF)));
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("An RFC 9457 problem: what was refused and why, naming the field or value at fault"
                        + " (never a secret value or a token)")
                .addProperty("type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .description("urn:rotor:problem:<slug>"))
                .addProperty("title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("instance", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .required(List.of("title", "status"));
    }

    /** The resource method an operation id {@code pkg.Class_method} names, if it can be loaded. */
    static Optional<Method> method(String operationId) {
        if (operationId == null || operationId.lastIndexOf('_') < 0) {
            return Optional.empty();
        }
        int cut = operationId.lastIndexOf('_');
        String className = operationId.substring(0, cut);
        String name = operationId.substring(cut + 1);
        try {
            Class<?> type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(name))
                    .sorted((a, b) -> Boolean.compare(b.isAnnotationPresent(RolesAllowed.class),
                            a.isAnnotationPresent(RolesAllowed.class)))
                    .findFirst();
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The method's {@code @RolesAllowed}, else its class's; none under {@code @PermitAll}. */
    static List<String> roles(Method m) {
        if (m.isAnnotationPresent(PermitAll.class)) {
            return List.of();
        }
        RolesAllowed rule = m.getAnnotation(RolesAllowed.class);
        if (rule == null) {
            rule = m.getDeclaringClass().getAnnotation(RolesAllowed.class);
        }
        return rule == null ? List.of() : List.of(rule.value());
    }
}
