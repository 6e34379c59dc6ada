package dev.rotor.orchestrator.catalog;

import dev.rotor.contracts.catalog.Catalog;
import dev.rotor.contracts.catalog.CatalogException;
import dev.rotor.contracts.catalog.CatalogLoader;
import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.orchestrator.config.OrchestratorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The secret catalog, loaded once at start-up. An invalid catalog stops start-up: the {@link CatalogException} names
 * each entry and field, including cron expressions that are not valid Quartz syntax.
 */
@ApplicationScoped
public class CatalogHolder {
    private static final Logger LOG = Logger.getLogger(CatalogHolder.class);

    @Inject
    OrchestratorConfig config;

    private volatile Catalog catalog;
    private volatile ChangeCalendar calendar;

    /** Before the scheduler and the consumers start, so a bad catalog fails start-up first and alone. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        catalog();
    }

    private synchronized void load() {
        if (catalog != null) {
            return;
        }
        String path = config.catalog().filter(p -> !p.isBlank()).orElseThrow(() -> new CatalogException("(none)",
                List.of("no catalog configured: set ROTOR_CATALOG (or rotor.catalog) to the catalog YAML file")));
        Catalog loaded = CatalogLoader.load(Path.of(path));
        List<String> problems = new ArrayList<>();
        for (SecretEntry entry : loaded.secrets()) {
            if (entry.schedule() != null && entry.schedule().cron() != null) {
                CronSchedule.problem(entry.schedule().cron())
                        .ifPresent(p -> problems.add("secrets[" + entry.id() + "].schedule.cron: " + p));
            }
            for (int w = 0; w < entry.windows().size(); w++) {
                String at = "secrets[" + entry.id() + "].windows[" + w + "].cron: ";
                CronSchedule.problem(entry.windows().get(w).cron()).ifPresent(p -> problems.add(at + p));
            }
        }
        for (int f = 0; f < loaded.freezes().size(); f++) {
            String at = "freezes[" + f + "].cron: ";
            String cron = loaded.freezes().get(f).cron();
            if (cron != null) {
                CronSchedule.problem(cron).ifPresent(p -> problems.add(at + p));
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(path, problems);
        }
        this.catalog = loaded;
        this.calendar = new ChangeCalendar(loaded.freezes());
        LOG.infof("catalog %s loaded: %d secrets", path, loaded.secrets().size());
    }

    public Catalog catalog() {
        if (catalog == null) {
            load();
        }
        return catalog;
    }

    /** The catalog's change freezes. */
    public ChangeCalendar calendar() {
        catalog();
        return calendar;
    }

    public Optional<SecretEntry> find(String secretId) {
        return catalog().find(secretId);
    }

    public List<SecretEntry> secrets() {
        return catalog().secrets();
    }
}
