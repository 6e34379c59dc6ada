package dev.rotor.orchestrator.retire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.orchestrator.saga.RetireGate.Sample;
import org.junit.jupiter.api.Test;

/** What a probe makes of an answer: one number from 0 to 1, or unknown with a note that never repeats the body. */
class UsageProbeTest {
    private static final String P = "prometheus http://prom:9090";

    private static String vector(String... values) {
        StringBuilder samples = new StringBuilder();
        for (String v : values) {
            samples.append(samples.isEmpty() ? "" : ",").append("{\"metric\":{\"key\":\"hunter2\"},\"value\":[1.0,\"")
                    .append(v).append("\"]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + samples + "]}}";
    }

    @Test
    void prometheusGivesAShareOnlyForAScalarOrOneSampleInRange() {
        assertThat(UsageProbe.prometheus("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
                + "\"result\":[1.0,\"0.031\"]}}", P)).isEqualTo(new Sample(0.031, P + " answered 0.031"));
        assertThat(UsageProbe.prometheus(vector("0"), P)).isEqualTo(new Sample(0.0, P + " answered 0.0"));
        assertThat(UsageProbe.prometheus(vector(), P))
                .isEqualTo(new Sample(null, P + " answered 0 samples; the query must give exactly one"));
        assertThat(UsageProbe.prometheus(vector("0.1", "0.2"), P))
                .isEqualTo(new Sample(null, P + " answered 2 samples; the query must give exactly one"));
        assertThat(UsageProbe.prometheus(vector("NaN"), P))
                .isEqualTo(new Sample(null, P + " answered NaN, not a share from 0 to 1"));
        assertThat(UsageProbe.prometheus(vector("12"), P))
                .isEqualTo(new Sample(null, P + " answered 12.0, not a share from 0 to 1"));
        assertThat(UsageProbe.prometheus("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"hunter2\"}",
                P)).isEqualTo(new Sample(null, P + " answered status error (bad_data)"));
        assertThat(UsageProbe.prometheus("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"}}", P))
                .isEqualTo(new Sample(null, P + " answered a matrix; the query must give a scalar or one sample"));
        assertThat(UsageProbe.prometheus("hunter2", P).probe()).isEqualTo(P + " answered no Prometheus JSON");
    }

    @Test
    void anAppEndpointGivesTheNumberAtItsField() {
        String what = "GET http://app/keys";
        assertThat(UsageProbe.field("{\"previousShare\":0.2,\"token\":\"hunter2\"}", "/previousShare", what))
                .isEqualTo(new Sample(0.2, what + " answered 0.2"));
        assertThat(UsageProbe.field("{\"keys\":{\"share\":\"0.2\"}}", "/keys/share", what))
                .isEqualTo(new Sample(null, what + " has no number at /keys/share"));
        assertThat(UsageProbe.field("hunter2", "/previousShare", what).probe()).isEqualTo(what + " answered no JSON");
    }
}
