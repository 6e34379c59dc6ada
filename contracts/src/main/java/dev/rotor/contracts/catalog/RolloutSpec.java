package dev.rotor.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.rotor.contracts.redact.SafeUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code rollout}: a rolling cohort rollout (StockEase's strategy 3). The entry's {@code targets}, in their catalog
 * order, are the target group; each wave gives the new version to the first {@code waves[k]} of them (a cumulative
 * percentage, rounded up), reloads the consumers, then waits for the {@link Gate} to hold before the next wave
 * starts. A gate that fails rolls back every wave done so far.
 *
 * @param waves cumulative percentages of the targets, ascending, the last one {@code 100%}
 */
public record RolloutSpec(List<String> waves, Gate gate) {
    public RolloutSpec {
        waves = waves == null ? List.of() : List.copyOf(waves);
    }

    /**
     * How many of {@code targets} the waves reach, wave by wave (cumulative): {@code ceil(share × targets)}, so
     * every wave reaches at least one target.
     *
     * @throws IllegalArgumentException when a wave is not a percentage
     */
    @JsonIgnore
    public List<Integer> reach(int targets) {
        List<Integer> reach = new ArrayList<>();
        for (String wave : waves) {
            double share = RetireWhenSpec.Shares.parse(wave);
            reach.add((int) Math.ceil(share * targets - 1e-9));
        }
        return reach;
    }

    /**
     * The gate each wave must pass, for {@code for}, before the next starts (and the last before the rotation
     * completes): a value from 0 to 1, such as an error ratio, read like a {@code retire-when} share, at or below
     * {@code max}. {@code {wave}} in the query or url becomes the wave's number (1, 2, …), {@code {version}} the new
     * version. A value above {@code max} fails the gate at once; an unknown one (the probe failed) restarts
     * {@code for}; a gate not passed within {@code timeout} fails.
     *
     * <p>Relative to a baseline instead ({@code error-rate: "<= 2x baseline"}): each probe also reads the baseline,
     * the same measure of the targets the rollout has not reached yet (or of the time before it), from
     * {@code baseline-query} or {@code baseline-url}, and the wave's value passes at or below the factor times the
     * baseline. {@code max}, then optional, is a floor: a baseline near 0 does not fail a wave whose value is still
     * at or below {@code max}.
     *
     * @param source {@code prometheus} or {@code http}
     * @param timeout how long a wave's gate may wait for {@code for} to pass (default: {@code for} + 10m)
     * @param errorRate {@code "<= Nx baseline"} (N a positive number, e.g. 2 or 1.5), or null for a fixed {@code max}
     */
    public record Gate(String source, String query, String url, String field, String max,
            @JsonProperty("for") String holdFor, String timeout, @JsonProperty("error-rate") String errorRate,
            @JsonProperty("baseline-query") String baselineQuery, @JsonProperty("baseline-url") String baselineUrl) {
        private static final java.util.regex.Pattern RELATIVE = java.util.regex.Pattern.compile(
                "\\s*<=\\s*(\\d{1,3}(?:\\.\\d{1,3})?)\\s*x\\s+baseline\\s*");

        public Gate(String source, String query, String url, String field, String max, String holdFor,
                String timeout) {
            this(source, query, url, field, max, holdFor, timeout, null, null, null);
        }

        /** The factor of {@code error-rate} ({@code "<= 2x baseline"} → 2), or empty for a fixed {@code max}. */
        @JsonIgnore
        public java.util.OptionalDouble baselineFactor() {
            if (errorRate == null) {
                return java.util.OptionalDouble.empty();
            }
            java.util.regex.Matcher m = RELATIVE.matcher(errorRate);
            if (!m.matches() || Double.parseDouble(m.group(1)) <= 0) {
                throw new IllegalArgumentException("'" + errorRate + "' is not of the form \"<= 2x baseline\"");
            }
            return java.util.OptionalDouble.of(Double.parseDouble(m.group(1)));
        }

        public static final String DEFAULT_FOR = "10m";
        /** The JSON field of an http source's body when {@code field} is not given. */
        public static final String DEFAULT_FIELD = "value";

        /** {@code max} as a fraction (2% → 0.02); 0 when a relative gate has no floor. */
        @JsonIgnore
        public double maxFraction() {
            return max == null ? 0 : RetireWhenSpec.Shares.parse(max);
        }

        @JsonIgnore
        public Duration holdForDuration() {
            return Durations.parse(holdFor == null ? DEFAULT_FOR : holdFor);
        }

        @JsonIgnore
        public Duration timeoutDuration() {
            return timeout == null ? holdForDuration().plusMinutes(10) : Durations.parse(timeout);
        }

        /** The JSON Pointer of the http source's value. */
        @JsonIgnore
        public String fieldPointer() {
            String f = field == null ? DEFAULT_FIELD : field;
            return f.startsWith("/") ? f : "/" + f;
        }

        /** What messages call the gate: its source and query, or its url redacted ({@code {wave}} kept as such). */
        public String describe() {
            if (RetireWhenSpec.PROMETHEUS.equals(source)) {
                return "prometheus " + query;
            }
            String plain = url == null ? null : url.replace("{wave}", "rotor-wave").replace("{version}", "rotor-version");
            String shown = SafeUrl.redact(plain);
            return "GET " + (shown == null ? null : shown.replace("rotor-wave", "{wave}")
                    .replace("rotor-version", "{version}"));
        }

        @Override
        public String toString() {
            return "Gate[" + describe() + ", max=" + max + ", error-rate=" + errorRate + ", for=" + holdFor
                    + ", timeout=" + timeout + "]";
        }
    }
}
