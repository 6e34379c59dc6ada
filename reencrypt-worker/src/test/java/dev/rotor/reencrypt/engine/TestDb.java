package dev.rotor.reencrypt.engine;

import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;

/** The JVM's shared test PostgreSQL (embedded unless ROTOR_TEST_PG_URL says otherwise), database {@code reencrypt}. */
public final class TestDb {
    public static final String DATABASE = "reencrypt";

    private TestDb() {
    }

    public static Database database() {
        PgServer pg = PostgresResource.server();
        try {
            DriverManager.getDriver(pg.jdbcUrl("postgres"));
        } catch (SQLException e) {
            // A @QuarkusTest that ran earlier in this JVM deregistered the driver when its application stopped.
            try {
                DriverManager.registerDriver(new org.postgresql.Driver());
            } catch (SQLException again) {
                throw new IllegalStateException(again);
            }
        }
        return Database.postgres(PostgresResource.jdbcUrl(DATABASE), pg.user(), pg.password());
    }

    public static MasterKey randomKey(int version) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return MasterKey.fromHex(version, HexFormat.of().formatHex(raw));
    }

}
