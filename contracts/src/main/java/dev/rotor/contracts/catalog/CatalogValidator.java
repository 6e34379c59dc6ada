package dev.rotor.contracts.catalog;

import dev.rotor.contracts.cipher.ActiveRecordCodec;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.FernetCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks what the YAML shape alone cannot: required fields, references and sizes. Collects every problem. */
final class CatalogValidator {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Set<String> GENERATORS = Set.of("hex", "base64", "alnum", "password", "fernet");
    private static final Set<String> STORES = Set.of("local", "vault");
    private static final Set<String> TARGETS = Set.of("env-file", "vault-kv");
    private static final Set<String> CHANNELS = Set.of("log", "webhook", "slack", "teams", "pagerduty", "email");
    private static final Pattern CHANNEL_ENV = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    private static final Set<String> CODECS = Codecs.names();
    private static final Set<String> MODES = Set.of("atomic", "online");
    private static final Set<String> DRAINS = Set.of("none", "http", DrainSpec.KUBERNETES, DrainSpec.COMMAND);

    private final Catalog catalog;
    private final List<String> problems = new ArrayList<>();

    CatalogValidator(Catalog catalog) {
        this.catalog = catalog;
    }

    List<String> problems() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < catalog.secrets().size(); i++) {
            SecretEntry e = catalog.secrets().get(i);
            String at = "secrets[" + (e.id() == null ? String.valueOf(i) : e.id()) + "]";
            if (e.id() == null || !ID.matcher(e.id()).matches()) {
                add(at, "id", "required, lower-case letters, digits, '.', '_' or '-'");
            } else if (!ids.add(e.id())) {
                add(at, "id", "duplicate id");
            }
            entry(at, e);
        }
        for (SecretEntry e : catalog.secrets()) {
            for (String related : e.related()) {
                if (catalog.find(related).isEmpty()) {
                    add("secrets[" + e.id() + "]", "related", "no secret with id '" + related + "'");
                }
            }
        }
        for (int i = 0; i < catalog.incidents().size(); i++) {
            incident("incidents[" + i + "]", catalog.incidents().get(i));
        }
        for (int i = 0; i < catalog.freezes().size(); i++) {
            freeze("freezes[" + i + "]", catalog.freezes().get(i));
        }
        catalog.notifications().channels().forEach((name, channel) -> {
            if (channel == null || channel.type() == null || !CHANNELS.contains(channel.type())) {
                add("notify.channels[" + name + "]", "type", "required, one of " + sorted(CHANNELS));
            } else {
                channel("notify.channels[" + name + "]", channel);
            }
        });
        List<String> checkpoints = catalog.notifications().auditCheckpoints();
        for (int i = 0; i < checkpoints.size(); i++) {
            String name = checkpoints.get(i);
            ChannelSpec channel = name == null ? null : catalog.notifications().channels().get(name);
            if (channel == null) {
                add("notify", "audit-checkpoints[" + i + "]", "'" + name + "' is not a channel in notify.channels");
            } else if (!"webhook".equals(channel.type())) {
                add("notify", "audit-checkpoints[" + i + "]", "'" + name + "' is a " + channel.type()
                        + " channel; checkpoints go to webhook channels only (CloudEvents for an archive)");
            }
        }
        return problems;
    }

    private void entry(String at, SecretEntry e) {
        if (e.kind() == null) {
            add(at, "kind", "required: encryption-key, signing-key, credential, token or pepper");
        }
        if (e.strategy() == null) {
            add(at, "strategy", "required");
        }
        generator(at, e.generator());
        store(at, e.store());
        for (int t = 0; t < e.targets().size(); t++) {
            target(at + ".targets[" + t + "]", e.targets().get(t));
        }
        Strategy emergency = e.emergencyStrategy();
        if ((e.strategy() != null && e.strategy().reencrypts()) || (emergency != null && emergency.reencrypts())) {
            if (e.reencrypt() == null || e.reencrypt().datasource() == null || e.reencrypt().columns() == null
                    || e.reencrypt().columns().isEmpty()) {
                add(at, "reencrypt", "a re-encrypting strategy needs reencrypt.datasource and reencrypt.columns");
            }
        }
        if (e.reencrypt() != null) {
            reencrypt(at + ".reencrypt", e.reencrypt());
            if (e.store() != null && e.store().type() != null && STORES.contains(e.store().type())
                    && !ReencryptSpec.READABLE_STORES.contains(e.store().type())) {
                add(at, "store.type", "reencrypt-worker cannot read keys from a " + e.store().type()
                        + " store; a secret with a reencrypt section needs one of "
                        + sorted(ReencryptSpec.READABLE_STORES));
            }
            if (FernetCodec.NAME.equals(e.reencrypt().codec()) && e.generator() != null
                    && e.generator().type() != null && !e.generator().type().equals("fernet")) {
                // A hex or standard-base64 value is not a Fernet key: the app and the worker would refuse it.
                add(at, "generator.type", "reencrypt.codec fernet needs generator type fernet (URL-safe base64 of 32"
                        + " bytes), not " + e.generator().type());
            }
        }
        if (e.drain() != null) {
            if (e.drain().type() == null || !DRAINS.contains(e.drain().type())) {
                add(at, "drain.type", "required, one of " + sorted(DRAINS));
            } else if (e.drain().type().equals("http") && !isHttpUrl(e.drain().url())) {
                add(at, "drain.url", "an http drain needs an http(s) url");
            } else {
                problems.addAll(ConsumerSpecs.drain(at + ".drain", e.drain()));
            }
        }
        problems.addAll(ConsumerSpecs.reload(at + ".reload", e.reload()));
        if (e.retireWhen() != null) {
            problems.addAll(RetireWhenSpecs.check(at, e));
        }
        problems.addAll(RolloutSpecs.check(at, e));
        if (e.strategy() != null && e.strategy().appliesCredential()
                && (e.credential() == null || e.credential().datasource() == null)) {
            add(at, "credential", "the " + e.strategy().catalogName() + " strategy needs credential.datasource");
        }
        if (e.schedule() != null) {
            if (e.schedule().cron() == null || e.schedule().cron().isBlank()) {
                add(at, "schedule.cron", "required when schedule is given");
            }
            duration(at, "schedule.window", e.schedule().window());
        }
        duration(at, "grace", e.grace());
        duration(at, "max-age", e.maxAge());
        if (e.approval() != null) {
            approval(at, e.approval());
        }
        for (int w = 0; w < e.windows().size(); w++) {
            WindowSpec window = e.windows().get(w);
            if (window == null || window.cron() == null || window.cron().isBlank()) {
                add(at, "windows[" + w + "].cron", "required: a Quartz cron expression that opens the window");
            }
            if (window == null || window.duration() == null) {
                add(at, "windows[" + w + "].duration", "required: how long the window stays open, e.g. 4h");
            } else {
                duration(at, "windows[" + w + "].duration", window.duration());
            }
        }
        if (e.cascade() != null && !Set.of(SecretEntry.CASCADE_EMERGENCY, SecretEntry.CASCADE_ALWAYS)
                .contains(e.cascade())) {
            add(at, "cascade", "emergency or always, was '" + e.cascade() + "'");
        }
        for (String channel : e.channels()) {
            if (!catalog.notifications().channels().containsKey(channel)) {
                add(at, "notify", "no channel named '" + channel + "' under notify.channels");
            }
        }
        if (e.userNotice() != null) {
            userNotice(at, e.userNotice());
        }
    }

    /** A known template, a custom text only with (and always with) {@code custom}, a webhook or e-mail channel. */
    private void userNotice(String at, UserNoticeSpec n) {
        if (n.template() == null || !UserNoticeSpec.TEMPLATES.contains(n.template())) {
            add(at, "user-notice.template", "required, one of " + sorted(UserNoticeSpec.TEMPLATES));
        } else if (n.template().equals(UserNoticeSpec.CUSTOM) && (n.text() == null || n.text().isBlank())) {
            add(at, "user-notice.text", "required with template custom: the message the users get");
        } else if (!n.template().equals(UserNoticeSpec.CUSTOM) && n.text() != null) {
            add(at, "user-notice.text", "only with template custom; " + n.template() + " has its own text");
        }
        if (n.channel() == null || n.channel().isBlank()) {
            add(at, "user-notice.channel", "required: a webhook or email channel under notify.channels");
            return;
        }
        ChannelSpec channel = catalog.notifications().channels().get(n.channel());
        if (channel == null) {
            add(at, "user-notice.channel", "no channel named '" + n.channel() + "' under notify.channels");
        } else if (channel.type() != null && !UserNoticeSpec.CHANNEL_TYPES.contains(channel.type())) {
            add(at, "user-notice.channel", "channel '" + n.channel() + "' is of type " + channel.type()
                    + "; a user notice goes through a webhook or email channel");
        }
    }

    /**
     * What each channel type needs. The {@code *-env} fields must look like environment variable names (upper case), so
     * that a key, token or URL pasted there by mistake is refused here instead of being read as a variable name; the
     * message never repeats the value.
     */
    private void channel(String at, ChannelSpec c) {
        envName(at, "url-env", c.urlEnv());
        envName(at, "webhook-url-env", c.webhookUrlEnv());
        envName(at, "routing-key-env", c.routingKeyEnv());
        envName(at, "token-env", c.tokenEnv());
        switch (c.type()) {
            case "pagerduty" -> {
                if (c.routingKeyEnv() == null) {
                    add(at, "routing-key-env",
                            "required for pagerduty: the environment variable holding the routing key");
                }
            }
            case "teams" -> {
                if (c.webhookUrlEnv() == null) {
                    add(at, "webhook-url-env", "required for teams: the environment variable holding the workflow URL");
                }
            }
            case "slack" -> {
                if (c.tokenEnv() == null && c.webhookUrlEnv() == null) {
                    add(at, "webhook-url-env", "slack needs webhook-url-env, or token-env and channel for bot mode");
                }
                if (c.tokenEnv() != null && (c.channel() == null || c.channel().isBlank())) {
                    add(at, "channel", "required with token-env: the Slack conversation to post to, e.g. C0123456789");
                }
            }
            case "email" -> {
                if (c.to().isEmpty()) {
                    add(at, "to", "required for email: one or more recipient addresses");
                }
                for (String address : c.to()) {
                    if (address == null || !EMAIL.matcher(address).matches()) {
                        add(at, "to", "'" + address + "' is not an e-mail address");
                    }
                }
            }
            default -> {
            }
        }
    }

    /** A rule needs a known source, at least one matcher, patterns that compile, and entries that exist. */
    private void incident(String at, IncidentRule r) {
        if (r == null) {
            add(at, "source", "required, one of " + sorted(IncidentRule.SOURCES));
            return;
        }
        if (r.source() == null || !IncidentRule.SOURCES.contains(r.source())) {
            add(at, "source", "required, one of " + sorted(IncidentRule.SOURCES));
        }
        if (r.matchesEverything()) {
            add(at, "service", "a rule needs at least one of service, title, secret-type or repository");
        }
        pattern(at, "title", r.title());
        pattern(at, "repository", r.repository());
        if (r.rotate().isEmpty()) {
            add(at, "rotate", "required: the ids of the entries an incident that matches rotates");
        }
        for (String id : r.rotate()) {
            if (catalog.find(id).isEmpty()) {
                add(at, "rotate", "no secret with id '" + id + "'");
            }
        }
    }

    private void pattern(String at, String field, String regex) {
        if (regex != null) {
            try {
                Pattern.compile(regex);
            } catch (java.util.regex.PatternSyntaxException e) {
                add(at, field, "not a valid regular expression: " + e.getDescription());
            }
        }
    }

    private void envName(String at, String field, String value) {
        if (value != null && !CHANNEL_ENV.matcher(value).matches()) {
            add(at, field, "must name an environment variable (upper-case letters, digits and '_', e.g. "
                    + "PAGERDUTY_ROUTING_KEY), never hold the secret itself");
        }
    }

    private void generator(String at, GeneratorSpec g) {
        if (g == null || g.type() == null || !GENERATORS.contains(g.type())) {
            add(at, "generator.type", "required, one of " + sorted(GENERATORS));
            return;
        }
        if (g.type().equals("fernet")) {
            if ((g.bytes() != null && g.bytes() != 32) || g.length() != null) {
                add(at, "generator.bytes", "a fernet key is always 32 bytes (44 characters); leave bytes and length"
                        + " out");
            }
            return;
        }
        boolean byteSized = g.type().equals("hex") || g.type().equals("base64");
        String sizeField = byteSized ? "generator.bytes" : "generator.length";
        Integer size = byteSized ? g.bytes() : g.length();
        if (size == null || size < 1 || size > 1024) {
            add(at, sizeField, "required for " + g.type() + ", between 1 and 1024");
        } else if (g.entropyBits() < g.minimumBits()) {
            add(at, sizeField, "yields " + g.entropyFigure() + "; at least " + g.minimumBits() + " bits are required"
                    + " for " + (byteSized ? "keys" : "passwords"));
        }
    }

    private void store(String at, StoreRef s) {
        if (s == null || s.type() == null || !STORES.contains(s.type())) {
            add(at, "store.type", "required, one of " + sorted(STORES));
        } else if (s.path() == null || s.path().isBlank() || s.path().contains("..")) {
            add(at, "store.path", "required, without '..'");
        }
    }

    private void target(String at, TargetSpec t) {
        if (t == null || t.type() == null || !TARGETS.contains(t.type())) {
            add(at, "type", "required, one of " + sorted(TARGETS));
            return;
        }
        if (t.path() == null || t.path().isBlank()) {
            add(at, "path", "required");
        }
        if (t.type().equals("env-file")) {
            if (t.variable() == null || !ENV_NAME.matcher(t.variable()).matches()) {
                add(at, "variable", "required, a valid environment variable name");
            }
            if (t.previousVariable() != null && !ENV_NAME.matcher(t.previousVariable()).matches()) {
                add(at, "previous-variable", "must be a valid environment variable name");
            }
            if (t.userVariable() != null && !ENV_NAME.matcher(t.userVariable()).matches()) {
                add(at, "user-variable", "must be a valid environment variable name");
            }
        } else if (t.field() == null || t.field().isBlank()) {
            add(at, "field", "required for vault-kv");
        }
    }

    private void reencrypt(String at, ReencryptSpec r) {
        if (r.codec() != null && !CODECS.contains(r.codec())) {
            add(at, "codec", "one of " + sorted(CODECS));
        }
        if (r.mode() != null && !MODES.contains(r.mode())) {
            add(at, "mode", "one of " + sorted(MODES));
        }
        if (r.backupCheck() != null) {
            backupCheck(at + ".backup-check", r.backupCheck());
        }
        if (r.hashDigest() != null) {
            if (!ActiveRecordCodec.NAME.equals(r.codec()) && !ActiveRecordCodec.DETERMINISTIC_NAME.equals(r.codec())) {
                add(at, "hash-digest", "only for codec activerecord or activerecord-deterministic");
            } else if (!r.hashDigest().equals("sha256") && !r.hashDigest().equals("sha1")) {
                add(at, "hash-digest", "one of sha1, sha256 (the app's hash_digest_class)");
            }
        }
        List<ColumnSpec> columns = r.columns() == null ? List.of() : r.columns();
        for (int c = 0; c < columns.size(); c++) {
            ColumnSpec col = columns.get(c);
            String where = at + ".columns[" + c + "]";
            // These names end up quoted in SQL; anything but a plain identifier is refused here, at start-up.
            for (String[] field : new String[][] {{"table", col.table()}, {"id", col.id()}, {"column", col.column()}}) {
                if (field[1] == null || !SQL_NAME.matcher(field[1]).matches()) {
                    add(where, field[0], "required, a plain SQL identifier (letters, digits, '_', optional schema.)");
                }
            }
            if (col.jsonPath() != null && !ColumnSpec.JSON_PATH.matcher(col.jsonPath()).matches()) {
                add(where, "json-path", "'" + col.jsonPath() + "' is not a supported path: $ followed by .name and"
                        + " [index] steps, e.g. $.credentials.token (names: letters, digits, '_', '-')");
            }
        }
    }

    private void backupCheck(String at, BackupCheckSpec b) {
        boolean sql = b.sql() != null;
        boolean command = b.command() != null;
        if (sql == command) {
            add(at, "sql", "a backup check needs sql (a query whose first column is true) or command (an argv), not"
                    + (sql ? " both" : " neither"));
        }
        if (sql && b.sql().isBlank()) {
            add(at, "sql", "must not be blank");
        }
        if (command && (b.command().isEmpty() || b.command().stream().anyMatch(a -> a == null || a.isBlank()))) {
            add(at, "command", "an argv of non-empty strings, program first (run without a shell)");
        }
        if (b.timeout() != null) {
            try {
                if (b.timeoutDuration().compareTo(BackupCheckSpec.MAX_TIMEOUT) > 0 || b.timeoutDuration().isZero()) {
                    add(at, "timeout", "between 1s and 5m, was " + b.timeout());
                }
            } catch (IllegalArgumentException ex) {
                add(at, "timeout", ex.getMessage());
            }
        }
    }

    private static boolean isHttpUrl(String url) {
        return url != null && (url.startsWith("http://") || url.startsWith("https://"));
    }

    private void freeze(String at, FreezeSpec f) {
        if (f == null) {
            add(at, "from", "a freeze needs from and until, or cron and duration");
            return;
        }
        if (f.reason() == null || f.reason().isBlank()) {
            add(at, "reason", "required: it is named in every refusal and deferral");
        }
        boolean range = f.from() != null || f.until() != null;
        boolean recurring = f.cron() != null || f.duration() != null;
        if (range == recurring) {
            add(at, "from", "a freeze needs from and until, or cron and duration (not both)");
            return;
        }
        if (range) {
            java.time.Instant from = instant(at, "from", f.from());
            java.time.Instant until = instant(at, "until", f.until());
            if (from != null && until != null && !until.isAfter(from)) {
                add(at, "until", "must be after from");
            }
        } else {
            if (f.cron() == null || f.cron().isBlank()) {
                add(at, "cron", "required with duration");
            }
            if (f.duration() == null) {
                add(at, "duration", "required with cron");
            } else {
                duration(at, "duration", f.duration());
            }
        }
    }

    private java.time.Instant instant(String at, String field, String value) {
        if (value == null) {
            add(at, field, "required: an ISO-8601 instant such as 2026-12-20T00:00:00Z");
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            add(at, field, "'" + value + "' is not an ISO-8601 instant such as 2026-12-20T00:00:00Z");
            return null;
        }
    }

    private void approval(String at, ApprovalSpec a) {
        if (a.required() != null && (a.required() < 1 || a.required() > 10)) {
            add(at, "approval.required", "between 1 and 10 approvals, was " + a.required());
        }
        for (String role : a.roles()) {
            if (!ApprovalSpec.APPROVING_ROLES.contains(role)) {
                add(at, "approval.roles", "'" + role + "' cannot approve; one of " + sorted(ApprovalSpec.APPROVING_ROLES));
            }
        }
        duration(at, "approval.expires", a.expires());
        if (a.emergency() != null && !Set.of(ApprovalSpec.SKIP, ApprovalSpec.REQUIRED).contains(a.emergency())) {
            add(at, "approval.emergency", "skip or required, was '" + a.emergency() + "'");
        }
    }

    private void duration(String at, String field, String value) {
        if (value != null) {
            try {
                Durations.parse(value);
            } catch (IllegalArgumentException ex) {
                add(at, field, ex.getMessage());
            }
        }
    }

    private void add(String at, String field, String what) {
        problems.add(at + "." + field + ": " + what);
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", values.stream().sorted().toList());
    }
}
