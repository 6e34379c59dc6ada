package dev.rotor.contracts.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates what touches an app's running processes: the {@code reload:} list and the kubernetes and command drains.
 * Each problem names the field and never repeats an environment value.
 */
final class ConsumerSpecs {
    /** RELOAD_CONSUMERS runs every reloader of an entry within one step attempt (Plans: 15 min); leave it room. */
    static final Duration MAX_TOTAL_RELOAD = Duration.ofMinutes(12);
    /** DRAIN_TRAFFIC and RESTORE_TRAFFIC allow 6 min an attempt (Plans). */
    static final Duration MAX_DRAIN = Duration.ofMinutes(5);
    private static final Set<String> RELOADS = Set.of(ReloadSpec.HTTP, ReloadSpec.KUBERNETES, ReloadSpec.COMMAND);
    private static final Set<String> KINDS = Set.of(WorkloadRef.DEPLOYMENT, WorkloadRef.STATEFUL_SET);
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern LABEL_PAIR = Pattern.compile(
            "([A-Za-z0-9./_-]{1,316})(=|==|!=)([A-Za-z0-9._-]{0,63})");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern POINTER = Pattern.compile("(/[^/]+)+|[A-Za-z0-9_.-]+");

    private ConsumerSpecs() {
    }

    static List<String> reload(String at, List<ReloadSpec> reloaders) {
        List<String> problems = new ArrayList<>();
        Duration total = Duration.ZERO;
        for (int i = 0; i < reloaders.size(); i++) {
            String here = at + "[" + i + "]";
            ReloadSpec r = reloaders.get(i);
            if (r == null || r.type() == null || !RELOADS.contains(r.type())) {
                problems.add(here + ".type: required, one of command, http, kubernetes");
                continue;
            }
            switch (r.type()) {
                case ReloadSpec.HTTP -> {
                    if (!isHttpUrl(r.url())) {
                        problems.add(here + ".url: an http reloader needs the http(s) url of the reload hook");
                    }
                    unused(problems, here, r.type(), r.namespace() != null || r.name() != null
                            || r.selector() != null || r.kind() != null, "namespace, kind, name and selector");
                    unused(problems, here, r.type(), r.argv() != null || !r.env().isEmpty(), "argv and env");
                }
                case ReloadSpec.KUBERNETES -> {
                    workloads(problems, here, r.workloads());
                    unused(problems, here, r.type(), r.url() != null, "url");
                    unused(problems, here, r.type(), r.argv() != null || !r.env().isEmpty(), "argv and env");
                }
                default -> {
                    argv(problems, here + ".argv", r.argv());
                    env(problems, here, r.env());
                    unused(problems, here, r.type(), r.url() != null, "url");
                    unused(problems, here, r.type(), r.namespace() != null || r.name() != null
                            || r.selector() != null || r.kind() != null, "namespace, kind, name and selector");
                }
            }
            if (r.health() != null) {
                if (!isHttpUrl(r.health().url())) {
                    problems.add(here + ".health.url: required, an http(s) url that answers 2xx when the app is up");
                }
                if (r.health().versionField() != null && !POINTER.matcher(r.health().versionField()).matches()) {
                    problems.add(here + ".health.version-field: a field name or a JSON Pointer such as /keys/version");
                }
            }
            Duration timeout = timeout(problems, here + ".timeout", r.timeout(), MAX_TOTAL_RELOAD);
            if (timeout != null) {
                total = total.plus(r.timeoutDuration());
            }
        }
        if (total.compareTo(MAX_TOTAL_RELOAD) > 0) {
            problems.add(at + ": the reloaders' timeouts add up to " + total.toMinutes() + " min, more than the "
                    + MAX_TOTAL_RELOAD.toMinutes() + " min one RELOAD_CONSUMERS attempt allows");
        }
        return problems;
    }

    static List<String> drain(String at, DrainSpec d) {
        List<String> problems = new ArrayList<>();
        if (DrainSpec.KUBERNETES.equals(d.type())) {
            workloads(problems, at, d.workloads());
            unused(problems, at, d.type(), d.argv() != null || d.restoreArgv() != null || !d.env().isEmpty(),
                    "argv, restore-argv and env");
        } else if (DrainSpec.COMMAND.equals(d.type())) {
            argv(problems, at + ".argv", d.argv());
            argv(problems, at + ".restore-argv", d.restoreArgv());
            env(problems, at, d.env());
            unused(problems, at, d.type(), d.namespace() != null || d.name() != null || d.selector() != null
                    || d.kind() != null, "namespace, kind, name and selector");
        }
        if (DrainSpec.KUBERNETES.equals(d.type()) || DrainSpec.COMMAND.equals(d.type())) {
            unused(problems, at, d.type(), d.url() != null, "url");
            timeout(problems, at + ".timeout", d.timeout(), MAX_DRAIN);
        }
        return problems;
    }

    private static void workloads(List<String> problems, String at, WorkloadRef w) {
        if (w.namespace() == null || !NAMESPACE.matcher(w.namespace()).matches()) {
            problems.add(at + ".namespace: required, a Kubernetes namespace name");
        }
        if (w.kind() != null && !KINDS.contains(w.kind())) {
            problems.add(at + ".kind: one of Deployment (the default) or StatefulSet");
        }
        if ((w.name() == null) == (w.selector() == null)) {
            problems.add(at + ": give exactly one of name or selector");
        } else if (w.name() != null && !DNS_NAME.matcher(w.name()).matches()) {
            problems.add(at + ".name: not a Kubernetes object name");
        } else if (w.selector() != null && !labelSelector(w.selector())) {
            problems.add(at + ".selector: a label selector such as app=api,tier=web");
        }
    }

    private static boolean labelSelector(String selector) {
        for (String pair : selector.split(",", -1)) {
            if (!LABEL_PAIR.matcher(pair.trim()).matches()) {
                return false;
            }
        }
        return true;
    }

    private static void argv(List<String> problems, String at, List<String> argv) {
        if (argv == null || argv.isEmpty() || argv.get(0) == null || argv.get(0).isBlank()) {
            problems.add(at + ": required, the program and its arguments as a list (run without a shell)");
        } else if (argv.stream().anyMatch(a -> a == null)) {
            problems.add(at + ": an argument is empty (null)");
        }
    }

    private static void env(List<String> problems, String at, Map<String, String> env) {
        new java.util.TreeMap<>(env).forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                problems.add(at + ".env: '" + name + "' is not an environment variable name");
            } else if (name.startsWith("ROTOR_")) {
                problems.add(at + ".env." + name + ": ROTOR_ names are set by Rotor itself (rotation, secret,"
                        + " version)");
            } else if (value == null) {
                problems.add(at + ".env." + name + ": needs a value");
            }
        });
    }

    private static void unused(List<String> problems, String at, String type, boolean present, String fields) {
        if (present) {
            problems.add(at + ": " + fields + (fields.contains(" and ") ? " do" : " does") + " not apply to type "
                    + type);
        }
    }

    private static Duration timeout(List<String> problems, String at, String value, Duration max) {
        if (value == null) {
            return Duration.ZERO;
        }
        try {
            Duration d = Durations.parse(value);
            if (d.isZero() || d.compareTo(max) > 0) {
                problems.add(at + ": between 1s and " + max.toMinutes() + "m");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
            return null;
        }
    }

    private static boolean isHttpUrl(String url) {
        return url != null && (url.startsWith("http://") || url.startsWith("https://"));
    }
}
