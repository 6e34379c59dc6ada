package dev.rotor.sync.target;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rendering rules and Docker Compose's documented rules, in pure Java (the real loaders: DotenvLoadersTest). */
class DotenvValuesTest {

    @Test
    void bareWhenInertSingleQuotedWhenPossibleElseDoubleQuoted() {
        assertThat(DotenvValues.render("abc+/=")).contains("abc+/=");
        assertThat(DotenvValues.render("")).contains("");
        assertThat(DotenvValues.render("~/x")).contains("'~/x'");
        assertThat(DotenvValues.render("p#ss$w0rd")).contains("'p#ss$w0rd'");
        assertThat(DotenvValues.render(" say \"hi\" `id` ")).contains("' say \"hi\" `id` '");
        assertThat(DotenvValues.render("back\\slash")).contains("'back\\slash'");
        assertThat(DotenvValues.render("it's #1")).contains("\"it's #1\"");
    }

    @Test
    void aValueNoRenderingCarriesIsRefusedWithAReasonThatNeverShowsIt() {
        DotenvTestValues.refused().forEach((value, gist) -> {
            assertThat(DotenvValues.render(value)).as(value).isEmpty();
            assertThat(DotenvValues.refusal(value)).as(value).hasValueSatisfying(
                    reason -> assertThat(reason).contains(gist).doesNotContain(value));
        });
        for (String value : DotenvTestValues.portable()) {
            assertThat(DotenvValues.refusal(value)).as(value).isEmpty();
        }
    }

    @Test
    void composeReadsEveryRenderingBackExactlyByItsDocumentedRules() {
        for (String value : DotenvTestValues.portable()) {
            String text = DotenvValues.render(value).orElseThrow();
            assertThat(ComposeEnvRules.read(text)).as(text).contains(value);
            assertThat(DotenvValues.parse(text)).as("our own reader, " + text).isEqualTo(value);
        }
    }

    @Test
    void composesRulesAreWhyATrailingBackslashIsRefused() {
        assertThat(ComposeEnvRules.read("'$OTHER'")).contains("$OTHER");
        assertThat(ComposeEnvRules.read("'${OTHER}'")).contains("${OTHER}");
        assertThat(ComposeEnvRules.read("'some\\tvalue'")).contains("some\\tvalue");
        assertThat(ComposeEnvRules.read("'Let\\'s go!'")).contains("Let's go!");
        assertThat(ComposeEnvRules.read("VAL # comment")).contains("VAL");
        assertThat(ComposeEnvRules.read("VAL# not a comment")).contains("VAL# not a comment");
        assertThat(ComposeEnvRules.read("\"VAL # not a comment\" # comment")).contains("VAL # not a comment");
        assertThat(ComposeEnvRules.read("'trailing\\'")).as("the backslash escapes the closing quote").isEmpty();
        assertThat(ComposeEnvRules.read("$OTHER")).as("interpolated").isEmpty();
    }

    @Test
    void filesWrittenByHandOrByEarlierVersionsStillParse() {
        assertThat(DotenvValues.parse("\"new secret #1 \\\"q\\\" \\$HOME\"")).isEqualTo("new secret #1 \"q\" $HOME");
        assertThat(DotenvValues.parse("\"a\\nb\\tc\\\\d\" # comment")).isEqualTo("a\nb\tc\\d");
        assertThat(DotenvValues.parse("'single # quoted' # c")).isEqualTo("single # quoted");
        assertThat(DotenvValues.parse(" bare # comment")).isEqualTo("bare");
        assertThat(DotenvValues.parse("bare#not-a-comment")).isEqualTo("bare#not-a-comment");
        assertThat(DotenvValues.parse("  spaced  ")).isEqualTo("spaced");
    }
}
