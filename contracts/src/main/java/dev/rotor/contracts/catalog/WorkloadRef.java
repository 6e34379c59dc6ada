package dev.rotor.contracts.catalog;

/**
 * Kubernetes workloads a reloader restarts or a drain scales: Deployments or StatefulSets of one namespace, by
 * {@code name} or by label {@code selector} ({@code app=api,tier=web}); exactly one of the two.
 *
 * @param kind {@code Deployment} (the default) or {@code StatefulSet}
 */
public record WorkloadRef(String namespace, String kind, String name, String selector) {
    public static final String DEPLOYMENT = "Deployment";
    public static final String STATEFUL_SET = "StatefulSet";

    public String kindOrDefault() {
        return kind == null ? DEPLOYMENT : kind;
    }

    /** How messages name the workloads: {@code Deployment shop/api} or {@code Deployment shop/[app=api]}. */
    public String describe() {
        return kindOrDefault() + " " + namespace + "/" + (name != null ? name : "[" + selector + "]");
    }
}
