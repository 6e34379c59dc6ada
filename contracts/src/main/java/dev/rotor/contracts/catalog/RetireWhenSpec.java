package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rotor.contracts.redact.SafeUrl;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code retire-when}: RETIRE_PREVIOUS waits, after the grace, until the previous version's share of use has stayed at
 * or below {@code max-share} for {@code for}, probing the share every check interval (orchestrator configuration). It
 * never waits past {@code max-grace}, counted like the grace from the rotation's completion: there it retires anyway
 * and sends an urgent milestone. A share still above {@code alert-above} after {@code alert-after} sends an urgent
 * milestone once.
 * <p>
 * The share is a fraction of use, 0 to 1, that the orchestrator reads with a GET:
 * <ul>
 *   <li>{@code source: prometheus}: {@code query} through Prometheus's HTTP API ({@code /api/v1/query}); the answer
 *   must be a scalar or a vector of exactly one sample;</li>
 *   <li>{@code source: http}: {@code url}, which answers 2xx with a JSON body holding the share at {@code field}
 *   (default {@code previousShare}; a name or a JSON Pointer).</li>
 * </ul>
 * {@code {version}} in the query or the url is replaced by the number of the version to retire. Thresholds are
 * percentages ({@code 5%}); durations are catalog durations.
 */
public record RetireWhenSpec(String source, String query, String url, String field,
        @JsonProperty("max-share") String maxShare, @JsonProperty("for") String holdFor,
        @JsonProperty("max-grace") String maxGrace, @JsonProperty("alert-above") String alertAbove,
        @JsonProperty("alert-after") String alertAfter) {
    public static final String PROMETHEUS = "prometheus";
    public static final String HTTP = "http";
    /** The JSON field of an http source's body when {@code field} is not given. */
    public static final String DEFAULT_FIELD = "previousShare";
    public static final String DEFAULT_FOR = "30m";
    public static final String DEFAULT_MAX_GRACE = "7d";

    /** {@code max-share} as a fraction (5% → 0.05). */
    @JsonIgnore
    public double maxShareFraction() {
        return Shares.parse(maxShare);
    }

    /** {@code alert-above} as a fraction; empty when no alert is set. */
    @JsonIgnore
    public Optional<Double> alertAboveFraction() {
        return alertAbove == null ? Optional.empty() : Optional.of(Shares.parse(alertAbove));
    }

    @JsonIgnore
    public Duration holdForDuration() {
        return Durations.parse(holdFor == null ? DEFAULT_FOR : holdFor);
    }

    @JsonIgnore
    public Duration maxGraceDuration() {
        return Durations.parse(maxGrace == null ? DEFAULT_MAX_GRACE : maxGrace);
    }

    /** When the alert may fire, counted from completion; {@code max-grace} when not given. */
    @JsonIgnore
    public Duration alertAfterDuration() {
        return alertAfter == null ? maxGraceDuration() : Durations.parse(alertAfter);
    }

    /** The JSON Pointer of the http source's share. */
    @JsonIgnore
    public String fieldPointer() {
        String f = field == null ? DEFAULT_FIELD : field;
        return f.startsWith("/") ? f : "/" + f;
    }

    /** The url may carry credentials or a token: shown redacted. */
    @Override
    public String toString() {
        return "RetireWhenSpec[source=" + source + ", query=" + query + ", url=" + SafeUrl.redact(url) + ", field="
                + field + ", max-share=" + maxShare + ", for=" + holdFor + ", max-grace=" + maxGrace
                + ", alert-above=" + alertAbove + ", alert-after=" + alertAfter + "]";
    }

    /** Catalog percentages: a number from 0 to 100 and a {@code %} ({@code 5%}, {@code 0.5%}). */
    public static final class Shares {
        private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile(
                "(\\d{1,3}(\\.\\d{1,4})?)%");

        private Shares() {
        }

        /** @return the fraction, 0 to 1 */
        public static double parse(String text) {
            java.util.regex.Matcher m = text == null ? null : FORMAT.matcher(text.trim());
            double percent = m != null && m.matches() ? Double.parseDouble(m.group(1)) : -1;
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("'" + text + "' is not a percentage such as 5% or 0.5%");
            }
            return percent / 100;
        }
    }
}
