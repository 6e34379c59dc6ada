package dev.rotor.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads a manifest of a built-in kind into the fabric8 Kubernetes model, and refuses what the model does not know.
 * The model keeps unknown fields in {@code additionalProperties} (the API server would drop them silently), so after
 * Jackson has checked every known field's type, every model object is walked and any field left over is reported with
 * its path. Custom resources go through {@link CrdSchema} instead.
 */
final class StrictModel {
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private StrictModel() {
    }

    /** The typed resource; throws naming the kind, the name and every unknown field. */
    static HasMetadata parse(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        String kind = doc.path("kind").asText();
        String name = doc.path("metadata").path("name").asText();
        HasMetadata resource;
        try {
            resource = KUBERNETES.unmarshal(Repo.JSON.writeValueAsString(doc));
        } catch (Exception e) {
            throw new IllegalArgumentException(kind + " " + name + ": " + e.getMessage(), e);
        }
        if (resource == null || resource instanceof GenericKubernetesResource) {
            throw new IllegalArgumentException(kind + " " + name + ": no model knows " + apiVersion + " " + kind);
        }
        List<String> unknown = new ArrayList<>();
        walk(resource, kind + "/" + name, unknown);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown fields: " + String.join(", ", unknown));
        }
        return resource;
    }

    private static void walk(Object value, String path, List<String> unknown) {
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", unknown);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown));
        } else if (value != null && isModel(value.getClass())) {
            for (Method getter : value.getClass().getMethods()) {
                if (!isGetter(getter)) {
                    continue;
                }
                Object child = invoke(getter, value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (child instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(k -> unknown.add(path + "." + k));
                    }
                } else {
                    walk(child, path + "." + property(getter), unknown);
                }
            }
        }
    }

    private static boolean isModel(Class<?> type) {
        String name = type.getName();
        return name.startsWith("io.fabric8.kubernetes.api.model");
    }

    private static boolean isGetter(Method m) {
        return m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()) && m.getName().startsWith("get")
                && m.getDeclaringClass() != Object.class && isModelOrContainer(m.getReturnType());
    }

    private static boolean isModelOrContainer(Class<?> type) {
        return isModel(type) || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
                || type == Object.class;
    }

    private static String property(Method getter) {
        String n = getter.getName().substring(3);
        return n.isEmpty() ? n : Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null; // a computed getter that cannot answer for this object holds no field of the manifest
        }
    }
}
