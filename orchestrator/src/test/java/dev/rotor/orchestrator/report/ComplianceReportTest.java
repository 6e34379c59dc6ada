package dev.rotor.orchestrator.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComplianceReportTest {
    @Test
    void quotesFreeTextAndDefusesFormulas() {
        assertThat(ComplianceReport.cell("alice")).isEqualTo("alice");
        assertThat(ComplianceReport.cell("a, b")).isEqualTo("\"a, b\"");
        assertThat(ComplianceReport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(ComplianceReport.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(ComplianceReport.cell("+1")).isEqualTo("'+1");
        assertThat(ComplianceReport.cell("@sum")).isEqualTo("'@sum");
        assertThat(ComplianceReport.cell("line\nbreak")).isEqualTo("\"line\nbreak\"");
    }
}
