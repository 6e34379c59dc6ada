package dev.rotor.orchestrator.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rotor.contracts.catalog.Catalog;
import dev.rotor.contracts.catalog.CatalogLoader;
import dev.rotor.contracts.catalog.DrainSpec;
import dev.rotor.contracts.catalog.HealthSpec;
import dev.rotor.contracts.catalog.ReloadSpec;
import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.orchestrator.saga.FrozenPlan;
import dev.rotor.orchestrator.saga.Plan;
import dev.rotor.orchestrator.saga.Plans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FrozenPlansTest {
    private static final Catalog CATALOG = catalog();

    private static Catalog catalog() {
        try {
            return CatalogLoader.parse(Files.readString(Path.of("src/test/resources/test-catalog.yaml"))
                    .replace("@DRAIN_URL@", "https://app.example:8443")
                    .replace("@DRAIN_URL_WITH_USER@", "https://ops:pw@app.example:8443"), "test-catalog.yaml");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every plan and rehearsal, with every entry of the test catalog: what is read back is what was written. */
    @Test
    void everyPlanAndSpecReadsBackEqual() {
        int checked = 0;
        for (SecretEntry entry : CATALOG.secrets()) {
            for (Strategy strategy : Strategy.values()) {
                for (boolean dryRun : new boolean[] {false, true}) {
                    Plan plan = Plans.forRotation(strategy, dryRun).orElse(null);
                    if (plan == null) {
                        continue;
                    }
                    FrozenPlan frozen = new FrozenPlan(plan, SagaStore.baseSpec(entry, strategy, dryRun),
                            entry.graceDuration(), entry.drain(), entry.approval(), entry.reload());
                    assertThat(FrozenPlans.read(UUID.randomUUID(), FrozenPlans.write(frozen))).isEqualTo(frozen);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    /** The retry policies are stored, not looked up again: a release that changes Plans changes no running saga. */
    @Test
    void storesTheStepsWithTheirRetryPolicies() {
        SecretEntry entry = CATALOG.find("orch-offline").orElseThrow();
        String json = FrozenPlans.write(new FrozenPlan(Plans.OFFLINE_REENCRYPT,
                SagaStore.baseSpec(entry, Strategy.OFFLINE_REENCRYPT, false), entry.graceDuration(), entry.drain(),
                null, List.of()));

        assertThat(json).startsWith("{\"format\":1,").contains("\"step\":\"DRAIN_TRAFFIC\"")
                .contains("\"maxAttempts\":5").contains("\"backoffCap\":\"PT10M\"").contains("\"longRunning\":true")
                .contains("/drain/orch-offline");
    }

    /** The reloaders and the plan with RELOAD_CONSUMERS are stored; a plan stored before reloads reads as none. */
    @Test
    void storesTheReloadersAndReadsOlderPlansAsHavingNone() {
        SecretEntry entry = CATALOG.find("orch-offline").orElseThrow();
        List<ReloadSpec> reload = List.of(
                new ReloadSpec("http", "http://app/reload", null, null, null, null, null, null, "10s",
                        new HealthSpec("http://app/health/keys", "/keys/version"), null),
                new ReloadSpec("kubernetes", null, "shop", "StatefulSet", null, "app=db", null, null, null, null, null),
                new ReloadSpec("command", null, null, null, null, null, List.of("/usr/bin/systemctl", "restart", "x"),
                        Map.of("UNIT", "x"), "30s", null, null));
        DrainSpec drain = new DrainSpec("kubernetes", null, "shop", null, "api", null, null, null, null, "2m");
        FrozenPlan frozen = new FrozenPlan(Plans.forRotation(Strategy.OFFLINE_REENCRYPT, false, true).orElseThrow(),
                SagaStore.baseSpec(entry, Strategy.OFFLINE_REENCRYPT, false), entry.graceDuration(), drain, null,
                reload, new dev.rotor.contracts.catalog.RetireWhenSpec("prometheus", "sum(x{v=\"{version}\"})",
                        null, null, "5%", "30m", "7d", "10%", "3d"));
        String json = FrozenPlans.write(frozen);
        assertThat(FrozenPlans.read(UUID.randomUUID(), json)).isEqualTo(frozen);
        assertThat(json).contains("\"retireWhen\":{\"source\":\"prometheus\"");
        assertThat(json).contains("\"step\":\"RELOAD_CONSUMERS\"").contains("\"undoneAfterPrevious\":true");

        String before = FrozenPlans.write(new FrozenPlan(Plans.DUAL_KEY, SagaStore.baseSpec(entry, Strategy.DUAL_KEY,
                false), entry.graceDuration(), null, null, List.of())).replace(",\"reload\":[]", "")
                .replace(",\"undoneAfterPrevious\":false", "");
        assertThat(before).doesNotContain("reload").doesNotContain("undoneAfterPrevious");
        FrozenPlan old = FrozenPlans.read(UUID.randomUUID(), before);
        assertThat(old.reload()).isEmpty();
        assertThat(old.retireWhen()).as("a plan stored before the usage gate retires after the grace").isNull();
        assertThat(old.plan()).isEqualTo(Plans.DUAL_KEY);
    }

    @Test
    void refusesAFormatItCannotRead() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> FrozenPlans.read(id, "{\"format\":2,\"plan\":{}}"))
                .hasMessage("rotation " + id + ": its frozen plan has format 2, which this release cannot read (it"
                        + " reads 1)");
        assertThatThrownBy(() -> FrozenPlans.read(id, "{\"format\":1,\"plan\":{\"name\":\"x\",\"steps\":[]}}"))
                .hasMessageStartingWith("rotation " + id + ": its frozen plan is unreadable");
    }
}
