package dev.rotor.contracts.catalog;

import dev.rotor.contracts.redact.SafeUrl;

/** How traffic is stopped for an offline plan: {@code none} or {@code http} (a maintenance-mode endpoint). */
public record DrainSpec(String type, String url) {
    /** The url may carry credentials or a token: shown redacted. */
    @Override
    public String toString() {
        return "DrainSpec[type=" + type + ", url=" + SafeUrl.redact(url) + "]";
    }
}
