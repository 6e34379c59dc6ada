package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rotor.contracts.redact.SafeUrl;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How traffic is stopped for an offline plan:
 * <ul>
 *   <li>{@code none};</li>
 *   <li>{@code http}: a maintenance-mode endpoint at {@code url};</li>
 *   <li>{@code kubernetes}: the {@link WorkloadRef} workloads scaled to 0, and back to the replica count they had;</li>
 *   <li>{@code command}: {@code argv} to drain and {@code restore-argv} to restore, run without a shell, with
 *       {@code env} added to a clean environment.</li>
 * </ul>
 *
 * @param timeout how long one drain or restore may take (catalog duration); default 60 s, 5 min for kubernetes
 */
public record DrainSpec(String type, String url, String namespace, String kind, String name, String selector,
        List<String> argv, @JsonProperty("restore-argv") List<String> restoreArgv, Map<String, String> env,
        String timeout) {
    public static final String KUBERNETES = "kubernetes";
    public static final String COMMAND = "command";

    public DrainSpec {
        argv = argv == null ? null : List.copyOf(argv);
        restoreArgv = restoreArgv == null ? null : List.copyOf(restoreArgv);
        env = env == null ? Map.of() : Map.copyOf(new TreeMap<>(env));
    }

    public DrainSpec(String type, String url) {
        this(type, url, null, null, null, null, null, null, null, null);
    }

    @JsonIgnore
    public WorkloadRef workloads() {
        return new WorkloadRef(namespace, kind, name, selector);
    }

    @JsonIgnore
    public Duration timeoutDuration() {
        if (timeout != null) {
            return Durations.parse(timeout);
        }
        return KUBERNETES.equals(type) ? Duration.ofMinutes(5) : Duration.ofSeconds(60);
    }

    /** The url may carry credentials or a token: shown redacted; the environment by its names only. */
    @Override
    public String toString() {
        return "DrainSpec[type=" + type + ", url=" + SafeUrl.redact(url) + "]";
    }
}
