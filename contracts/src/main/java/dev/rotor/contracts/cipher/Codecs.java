package dev.rotor.contracts.cipher;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The codecs by their catalog names. The instances are immutable and shared. */
public final class Codecs {
    private static final LockboxCodec LOCKBOX = new LockboxCodec();
    private static final RotorV1Codec ROTOR_V1 = new RotorV1Codec();
    private static final FernetCodec FERNET = new FernetCodec();
    private static final ActiveRecordCodec ACTIVE_RECORD = new ActiveRecordCodec(false);
    private static final ActiveRecordCodec ACTIVE_RECORD_DETERMINISTIC = new ActiveRecordCodec(true);
    private static final Map<String, ColumnCodec> BY_NAME = Map.of(LOCKBOX.name(), LOCKBOX, ROTOR_V1.name(), ROTOR_V1,
            FERNET.name(), FERNET, ACTIVE_RECORD.name(), ACTIVE_RECORD, ACTIVE_RECORD_DETERMINISTIC.name(),
            ACTIVE_RECORD_DETERMINISTIC);

    private Codecs() {
    }

    /** @throws IllegalArgumentException naming the known codecs, if {@code name} is not one */
    public static ColumnCodec byName(String name) {
        ColumnCodec codec = name == null ? null : BY_NAME.get(name);
        if (codec == null) {
            throw new IllegalArgumentException(
                    "unknown codec '" + name + "'; known codecs: " + String.join(", ", names()));
        }
        return codec;
    }

    /** The known codec names, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }

    public static LockboxCodec lockbox() {
        return LOCKBOX;
    }

    public static RotorV1Codec rotorV1() {
        return ROTOR_V1;
    }

    public static FernetCodec fernet() {
        return FERNET;
    }

    /**
     * Rails' Active Record encryption, without the app's key derivation settings: configure it with
     * {@link ActiveRecordCodec#withDerivation} before it reads a key.
     */
    public static ActiveRecordCodec activeRecord(boolean deterministic) {
        return deterministic ? ACTIVE_RECORD_DETERMINISTIC : ACTIVE_RECORD;
    }
}
