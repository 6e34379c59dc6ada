package dev.rotor.notifier.delivery;

import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** A fresh database on the test PostgreSQL, migrated by the notifier's own Flyway scripts, for plain JUnit tests. */
public final class NotifierDatabase {
    private NotifierDatabase() {
    }

    public static DataSource fresh(String prefix) {
        PgServer pg = PostgresResource.server();
        String database = prefix + "_" + Long.toHexString(System.nanoTime());
        pg.createDatabase(database);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl(database));
        ds.setUser(pg.user());
        ds.setPassword(pg.password());
        Flyway.configure().dataSource(ds).schemas("notifier").defaultSchema("notifier")
                .locations("classpath:db/migration").load().migrate();
        return ds;
    }
}
