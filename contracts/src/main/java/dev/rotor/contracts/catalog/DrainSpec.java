package dev.rotor.contracts.catalog;

/** How traffic is stopped for an offline plan: {@code none} or {@code http} (a maintenance-mode endpoint). */
public record DrainSpec(String type, String url) {
}
