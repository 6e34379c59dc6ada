package dev.rotor.contracts.redact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.ChannelSpec;
import dev.rotor.contracts.catalog.DrainSpec;
import org.junit.jupiter.api.Test;

class SafeUrlTest {

    @Test
    void userInfoAndEveryQueryValueAreMasked() {
        assertThat(SafeUrl.redact("https://ops:pw-hunter2@app.example:8443/api/maintenance?token=abc&mode=full"))
                .isEqualTo("https://***@app.example:8443/api/maintenance?token=***&mode=***");
    }

    @Test
    void aValueWithoutANameAndAFragmentAreNotShown() {
        assertThat(SafeUrl.redact("http://app/x?s3cr3t#frag")).isEqualTo("http://app/x?***");
    }

    @Test
    void aPlainUrlIsUnchanged() {
        assertThat(SafeUrl.redact("http://tooljet:3000/api/maintenance"))
                .isEqualTo("http://tooljet:3000/api/maintenance");
    }

    @Test
    void aJdbcUrlLosesItsPassword() {
        assertThat(SafeUrl.redact("jdbc:postgresql://db:5432/app?user=app&password=s3cr3t"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=***&password=***");
    }

    @Test
    void aUrlThatDoesNotParseIsNeverEchoed() {
        assertThat(SafeUrl.redact("http://u:p w@host/ x?token=abc")).isEqualTo("(unparseable url)");
        assertThat(SafeUrl.redact("mailto:a@b?token=abc")).isEqualTo("(unparseable url)");
        assertThat(SafeUrl.redact(null)).isNull();
    }

    @Test
    void aHostNameThatIsNotAServerAuthorityKeepsOnlyTheHost() {
        assertThat(SafeUrl.redact("http://user:pw@my_host:80/p")).isEqualTo("http://***@my_host:80/p");
    }

    @Test
    void catalogRecordsNeverPrintTheirUrls() {
        assertThat(new DrainSpec("http", "https://u:pw@app/m?token=abc").toString())
                .isEqualTo("DrainSpec[type=http, url=https://***@app/m?token=***]");
        assertThat(new ChannelSpec("webhook", "https://hooks.example/T000/B000/XXXX?sig=abc", null, null, null, null,
                null, null)
                .toString()).doesNotContain("XXXX", "abc").contains("webhook");
    }
}
