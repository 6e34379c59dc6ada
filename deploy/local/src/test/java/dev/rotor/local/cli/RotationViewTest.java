package dev.rotor.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RotationViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showsTheIncidentAndEachRelatedRotationWhenItsStateChanges() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RotationView view = new RotationView(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String running = """
                {"id":"p1","secretId":"jwt-secret","strategy":"immediate","trigger":"EMERGENCY","state":"RUNNING",
                 "incident":"pagerduty:Q1","steps":[],
                 "children":[{"id":"c1","secretId":"session-secret","state":"RUNNING"}]}""";
        view.show(JSON.readTree(running));
        view.show(JSON.readTree(running));
        view.show(JSON.readTree(running.replace("\"state\":\"RUNNING\"}]",
                "\"state\":\"ROLLED_BACK\",\"error\":\"boom\"}]")));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "rotation p1 of jwt-secret (strategy immediate, trigger EMERGENCY)",
                "  incident pagerduty:Q1",
                "  related session-secret    RUNNING    (rotation c1)",
                "  state   RUNNING",
                "  related session-secret    ROLLED_BACK (rotation c1): boom");
    }
}
