package dev.rotor.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed settings of the orchestrator (prefix {@code rotor.orchestrator}). */
@ConfigMapping(prefix = "rotor.orchestrator")
public interface OrchestratorConfig {

    /** Path of the catalog YAML; application.properties fills it from {@code ROTOR_CATALOG}. */
    Optional<String> catalog();

    /** How often the outbox relay looks for rows a crash left unpublished (it also runs right after each commit). The
     * Quarkus scheduler ticks once a second, so shorter values act as 1s. */
    @WithDefault("1s")
    Duration relayPollInterval();

    /** How often due timers (start, retries, step timeouts, retirements) are looked for. */
    @WithDefault("1s")
    Duration timerPollInterval();

    /*
     * Retries. Each plan step has its own timeout, attempts and backoff (Plans), so these keys are unset by default.
     * A key that is set replaces the plans' value for every step: tests shorten every timer this way, and an operator
     * can force a value during an incident. Where neither sets a value, the built-in default applies (see PlanStep).
     */

    /** Set: the timeout of every step that is not long-running, in place of the plans' (built-in default 60s). */
    Optional<Duration> stepTimeout();

    /** Set: the attempts per direction of every step, in place of the plans' (built-in default 3). */
    Optional<Integer> maxAttempts();

    /**
     * Set: the wait after any step's first failed attempt, in place of the plans' (built-in default 2s). It doubles
     * after each further failure, up to the cap, and each wait is jittered between half of it and all of it.
     */
    Optional<Duration> backoff();

    /** Set: the cap of every step's doubling wait, in place of the plans' (built-in default 5m). */
    Optional<Duration> maxBackoff();

    /**
     * Set: the timeout of every long-running step (REENCRYPT), in place of the plans' (built-in default 2h). Each
     * progress report of the current attempt restarts it, so it bounds the silence of a worker, not the length of a
     * healthy job.
     */
    Optional<Duration> longStepTimeout();

    /** The {@code http} drain's calls (DRAIN_TRAFFIC enters maintenance, RESTORE_TRAFFIC leaves it). */
    Drain drain();

    /**
     * How the orchestrator talks to an app's maintenance endpoint (the catalog entry's {@code drain.url}). Bodies are
     * templates: {@code {{rotationId}}} and {@code {{secretId}}} are replaced; they never carry secret material.
     */
    interface Drain {
        /** HTTP method of the call that enters maintenance. */
        @WithDefault("POST")
        String enterMethod();

        /** JSON body of the call that enters maintenance. */
        @WithDefault("{\"maintenance\": true, \"rotationId\": \"{{rotationId}}\"}")
        String enterBody();

        /** HTTP method of the call that leaves maintenance. */
        @WithDefault("POST")
        String leaveMethod();

        /** JSON body of the call that leaves maintenance. */
        @WithDefault("{\"maintenance\": false, \"rotationId\": \"{{rotationId}}\"}")
        String leaveBody();

        /** Connect and response timeout of each call; a timeout is a retryable failure. */
        @WithDefault("10s")
        Duration timeout();
    }

    /** The Kubernetes API for the {@code kubernetes} reloaders and drains. */
    Kubernetes kubernetes();

    /**
     * Where the Kubernetes API is. Unset: the fabric8 client's own discovery (the in-cluster service account, else
     * {@code KUBECONFIG} or {@code ~/.kube/config}), as kubectl finds it.
     */
    interface Kubernetes {
        /** The API server's URL, in place of the discovered one. */
        Optional<String> apiServerUrl();

        /** Accept the API server's certificate without checking it (a test cluster only). */
        @WithDefault("false")
        boolean trustCerts();
    }

    /** How long bookkeeping rows are kept (see {@code retention.TablePruner}). */
    Retention retention();

    /** Pruning of the outbox and the de-duplication tables. */
    interface Retention {
        /**
         * Published outbox rows, and the de-duplication rows of rotations that ended, are deleted once this old. Keep
         * it longer than the topics' retention, so a record redelivered from Kafka still finds its row.
         */
        @WithDefault("7d")
        Duration period();

        /** How often the pruning runs (the scheduler reads {@code rotor.orchestrator.retention.prune-interval}). */
        @WithDefault("1h")
        Duration pruneInterval();
    }

    /** The usage gate of retirements (catalog {@code retire-when}). */
    UsageGate retireGate();

    /** How the previous version's share of use is probed before it is retired. */
    interface UsageGate {
        /**
         * Prometheus's base URL for {@code source: prometheus} (e.g. {@code http://prometheus:9090}); the query goes
         * to its {@code /api/v1/query}. Unset: such a probe has no answer, so the retirement waits, up to max-grace.
         */
        Optional<String> prometheusUrl();

        /** How often a deferred retirement probes the share again. */
        @WithDefault("1m")
        Duration checkInterval();

        /** Connect and response timeout of one probe; a probe that times out has no answer (the retirement waits). */
        @WithDefault("10s")
        Duration probeTimeout();
    }

    /** The gates of rolling cohort rollouts (catalog {@code rollout}); they probe as {@link #retireGate()} does. */
    Rollout rollout();

    interface Rollout {
        /** How often a wave's gate is probed while it waits for its {@code for} to pass. */
        @WithDefault("30s")
        Duration gateCheckInterval();
    }

    /** The value of the {@code ce_source} header on everything the orchestrator publishes. */
    @WithDefault("/rotor/orchestrator")
    String source();
}
