package dev.rotor.reencrypt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.local.auth.RoleMatrix;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * reencrypt-worker serves no /api endpoint today (only health, which stays open for probes). The first resource class added here
 * fails this test until it has a role rule and a row in a role matrix run against the service, as in the
 * orchestrator's and secret-sync's RoleMatrixTest.
 */
class RoleMatrixTest {
    @Test
    void noEndpointShipsWithoutARoleMatrix() {
        assertThat(RoleMatrix.scan(Path.of("target/classes")))
                .as("reencrypt-worker's endpoints: give each @RolesAllowed and run RoleMatrix.run over them in a @QuarkusTest")
                .isEmpty();
    }
}
