package dev.rotor.orchestrator.saga;

import java.util.List;

/**
 * What a rotation that ended FAILED left behind: the versions, targets and data on-call must look at. References and
 * numbers only, never material.
 *
 * @param rowsDone rows the last reported re-encryption pass had rewritten (null when none reported)
 */
public record Affected(String secretId, String store, Integer fromVersion, Integer toVersion, List<String> targets,
        String datasource, List<String> columns, String reencryptDirection, Long rowsDone, Long rowsTotal) {
}
