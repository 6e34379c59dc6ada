package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.rotor.contracts.redact.SafeUrl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reloader of an entry's {@code reload:} list: how the consumers of a secret pick up the value just written to
 * their targets. Types:
 * <ul>
 *   <li>{@code http}: POST to the hook {@code url}, which must answer 2xx;</li>
 *   <li>{@code kubernetes}: a rollout restart of the {@link WorkloadRef} workloads, waited for until complete;</li>
 *   <li>{@code command}: {@code argv} run without a shell, with {@code env} added to a clean environment.</li>
 * </ul>
 * Each may name a {@code health} check, polled until it passes or {@code timeout} ends. Material never appears here:
 * a reloader learns only references and version numbers.
 *
 * @param timeout how long this reloader, its health check included, may take (catalog duration); default per type
 * @param wave in an entry with {@code rollout}, the one wave (1, 2, …) whose targets this reloader serves: it runs in
 *     that wave, and when a rollback undoes it; null = in every wave
 */
public record ReloadSpec(String type, String url, String namespace, String kind, String name, String selector,
        List<String> argv, Map<String, String> env, String timeout, HealthSpec health, Integer wave) {
    public static final String HTTP = "http";
    public static final String KUBERNETES = "kubernetes";
    public static final String COMMAND = "command";

    public ReloadSpec {
        argv = argv == null ? null : List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(new TreeMap<>(env));
    }

    @JsonIgnore
    public WorkloadRef workloads() {
        return new WorkloadRef(namespace, kind, name, selector);
    }

    /** The catalog's timeout, else 30 s for http, 5 min for kubernetes, 60 s for command. */
    @JsonIgnore
    public Duration timeoutDuration() {
        if (timeout != null) {
            return Durations.parse(timeout);
        }
        return switch (type == null ? "" : type) {
            case KUBERNETES -> Duration.ofMinutes(5);
            case COMMAND -> Duration.ofSeconds(60);
            default -> Duration.ofSeconds(30);
        };
    }

    /** What messages name: the type and its target, never the environment's values. */
    public String describe() {
        return switch (type == null ? "" : type) {
            case HTTP -> "http hook " + SafeUrl.redact(url);
            case KUBERNETES -> "rollout restart of " + workloads().describe();
            case COMMAND -> "command " + (argv == null || argv.isEmpty() ? "?" : argv.get(0));
            default -> "reloader of type " + type;
        };
    }

    @Override
    public String toString() {
        return "ReloadSpec[" + describe() + ", env=" + env.keySet() + ", timeout=" + timeout + ", health=" + health
                + ", wave=" + wave + "]";
    }
}
