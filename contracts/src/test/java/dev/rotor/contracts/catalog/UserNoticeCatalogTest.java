package dev.rotor.contracts.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Catalog {@code user-notice}: what end users are told after UPDATE_SECRET, and through which channel. */
class UserNoticeCatalogTest {
    private static String catalog(String... notices) {
        StringBuilder yaml = new StringBuilder("secrets:\n");
        for (int i = 0; i < notices.length; i++) {
            yaml.append("""
                      - id: s%d
                        kind: signing-key
                        strategy: immediate
                        generator: { type: base64, bytes: 64 }
                        store: { type: local, path: app/s%d }
                        user-notice: %s
                    """.formatted(i, i, notices[i]));
        }
        return yaml + """
                notify:
                  channels:
                    app-hook: { type: webhook, url-env: APP_HOOK_URL }
                    users: { type: email, to: [ users@lists.example.com ] }
                    chat: { type: slack, webhook-url-env: SLACK_URL }
                """;
    }

    @Test
    void readsEachTemplateWithItsChannel() {
        Catalog c = CatalogLoader.parse(catalog("{ template: relogin, channel: app-hook }",
                "{ template: recovery-codes, channel: users }",
                "{ template: custom, channel: users, text: \"Your API keys were renewed.\" }"), "t");

        assertThat(c.secrets()).extracting(SecretEntry::userNotice).containsExactly(
                new UserNoticeSpec("relogin", "app-hook", null),
                new UserNoticeSpec("recovery-codes", "users", null),
                new UserNoticeSpec("custom", "users", "Your API keys were renewed."));
        assertThat(CatalogLoader.parse(catalog("null"), "t").secrets().get(0).userNotice()).isNull();
    }

    @Test
    void refusesNoticesThatCannotBeSentNamingTheEntryAndField() {
        String yaml = catalog("{ template: logout, channel: app-hook }",
                "{ template: custom, channel: users }",
                "{ template: relogin, channel: users, text: \"Hi\" }",
                "{ template: relogin, channel: chat }",
                "{ template: recovery-codes, channel: mailing-list }",
                "{ template: relogin }");

        assertThatThrownBy(() -> CatalogLoader.parse(yaml, "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        "secrets[s0].user-notice.template: required, one of custom, recovery-codes, relogin",
                        "secrets[s1].user-notice.text: required with template custom: the message the users get",
                        "secrets[s2].user-notice.text: only with template custom; relogin has its own text",
                        "secrets[s3].user-notice.channel: channel 'chat' is of type slack; a user notice goes through"
                                + " a webhook or email channel",
                        "secrets[s4].user-notice.channel: no channel named 'mailing-list' under notify.channels",
                        "secrets[s5].user-notice.channel: required: a webhook or email channel under notify.channels"));
    }

    @Test
    void refusesAnUnknownFieldInTheNotice() {
        assertThatThrownBy(() -> CatalogLoader.parse(catalog("{ template: relogin, channel: users, to: x@y.z }"),
                "c.yaml"))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.problems())
                        .containsExactly("secrets[s0].user-notice.to: unknown field 'to'"));
    }
}
