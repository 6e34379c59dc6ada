package dev.rotor.notifier.catalog;

import dev.rotor.contracts.catalog.Catalog;
import dev.rotor.contracts.catalog.CatalogLoader;
import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.contracts.catalog.UserNoticeSpec;
import dev.rotor.notifier.channel.NotificationChannel;
import dev.rotor.notifier.config.NotifierConfig;
import dev.rotor.notifier.notice.UserNotice;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which channels hear of which secret, read once from the catalog at start-up. An invalid catalog stops the start
 * with the loader's message naming the entry and the field.
 */
@Startup
@ApplicationScoped
public class ChannelRegistry {
    private static final Logger LOG = Logger.getLogger(ChannelRegistry.class);

    private final Map<String, List<NotificationChannel>> bySecret = new LinkedHashMap<>();
    private final Map<String, NotificationChannel> noticeChannelBySecret = new LinkedHashMap<>();
    private final Map<String, UserNotice> noticeBySecret = new LinkedHashMap<>();
    private final Map<String, NotificationChannel> byName = new LinkedHashMap<>();
    private final List<NotificationChannel> checkpointChannels;

    public ChannelRegistry(NotifierConfig config, ChannelFactory factory) {
        String path = config.catalog().filter(p -> !p.isBlank()).orElseThrow(() -> new IllegalStateException(
                "no catalog: set ROTOR_CATALOG (or rotor.notifier.catalog) to the catalog YAML file"));
        Catalog catalog = CatalogLoader.load(Path.of(path));
        Map<String, NotificationChannel> channels = new LinkedHashMap<>();
        catalog.notifications().channels().forEach((name, spec) ->
                factory.create(name, spec).ifPresent(channel -> channels.put(name, channel)));
        for (SecretEntry secret : catalog.secrets()) {
            List<NotificationChannel> targets = new ArrayList<>();
            secret.channels().stream().map(channels::get).filter(c -> c != null).forEach(targets::add);
            bySecret.put(secret.id(), List.copyOf(targets));
        }
        // One user-notice channel per catalog channel used by a user-notice; the notice itself is the secret's.
        Map<String, Optional<NotificationChannel>> noticeChannels = new LinkedHashMap<>();
        for (SecretEntry secret : catalog.secrets()) {
            UserNoticeSpec spec = secret.userNotice();
            if (spec != null) {
                noticeBySecret.put(secret.id(), UserNotice.of(spec));
                noticeChannels.computeIfAbsent(spec.channel(), name -> factory.userNotice(name,
                        catalog.notifications().channels().get(name),
                        n -> noticeBySecret.get(n.event().secretId())))
                        .ifPresent(channel -> noticeChannelBySecret.put(secret.id(), channel));
            }
        }
        checkpointChannels = catalog.notifications().auditCheckpoints().stream().map(channels::get)
                .filter(c -> c != null).toList();
        byName.putAll(channels);
        noticeChannelBySecret.values().forEach(channel -> byName.put(channel.name(), channel));
        LOG.infof("notifier ready: %d secrets, channels in use: %s, audit checkpoints to: %s", bySecret.size(),
                channels.keySet(), checkpointChannels.stream().map(NotificationChannel::name).toList());
    }

    /**
     * The channel that tells the end users of a secret's app once the secret is updated (catalog {@code user-notice}),
     * or empty when the entry has none or its channel cannot work.
     */
    public Optional<NotificationChannel> userNoticeFor(String secretId) {
        return Optional.ofNullable(noticeChannelBySecret.get(secretId));
    }

    /** A working channel by its name (a user-notice channel's is {@code user-notice:<channel>}), if there is one. */
    public Optional<NotificationChannel> channel(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The working webhook channels that archive the audit chain's checkpoints (catalog {@code audit-checkpoints}). */
    public List<NotificationChannel> checkpointChannels() {
        return checkpointChannels;
    }

    /** The working channels of a secret (possibly none), or empty when the catalog does not know the secret. */
    public Optional<List<NotificationChannel>> channelsFor(String secretId) {
        return Optional.ofNullable(bySecret.get(secretId));
    }
}
