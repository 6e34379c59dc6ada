package dev.rotor.manifests;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The property names of a service's {@code @ConfigMapping} interfaces, read by reflection from its compiled classes
 * as SmallRye Config names them: methods in kebab case (or {@code @WithName}), nested interfaces as groups, a map's key
 * as {@code *}.
 */
final class ConfigMappings {
    private static final String MARKER = "io/smallrye/config/ConfigMapping";

    private ConfigMappings() {
    }

    static Set<String> properties(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException(classes + " is missing: build the service first (the reactor does)");
        }
        Set<String> names = new HashSet<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {url(classes)},
                ConfigMappings.class.getClassLoader()); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                if (!new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(MARKER)) {
                    continue;
                }
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, loader);
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    group(type, mapping.prefix(), names);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static void group(Class<?> type, String prefix, Set<String> names) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() > 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String name = m.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (m.isAnnotationPresent(WithName.class) ? m.getAnnotation(WithName.class).value()
                    : kebab(m.getName()));
            member(m.getGenericReturnType(), name, names);
        }
    }

    private static void member(Type type, String name, Set<String> names) {
        if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            member(p.getActualTypeArguments()[1], name + ".*", names);
        } else if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            member(p.getActualTypeArguments()[0], name, names);
        } else if (type instanceof Class<?> c && c.isInterface() && !c.getName().startsWith("java.")) {
            group(c, name, names);
        } else {
            names.add(name);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static URL url(Path dir) {
        try {
            return dir.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
