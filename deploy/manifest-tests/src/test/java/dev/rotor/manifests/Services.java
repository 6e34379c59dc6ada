package dev.rotor.manifests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The four services, each with its folder's configuration, loaded once for all tests. */
final class Services {
    static final List<String> NAMES = List.of("orchestrator", "secret-sync", "notifier", "reencrypt-worker");
    private static final Map<String, ServiceConfig> CONFIGS = new LinkedHashMap<>();

    private Services() {
    }

    static synchronized ServiceConfig config(String service) {
        return CONFIGS.computeIfAbsent(service, ServiceConfig::of);
    }
}
