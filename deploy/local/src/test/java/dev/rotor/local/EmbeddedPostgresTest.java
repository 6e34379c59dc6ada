package dev.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

/** The server starts, databases are created idempotently, and JDBC reaches them. */
class EmbeddedPostgresTest {

    @Test
    void createsDatabaseOnceAndAnswersSelectOne() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            assertThat(pg.createDatabase("orchestrator")).isTrue();
            assertThat(pg.createDatabase("orchestrator")).isFalse();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("orchestrator"), EmbeddedPostgres.USER,
                    EmbeddedPostgres.PASSWORD); ResultSet rs = c.createStatement().executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThat(pg.reactiveUrl("orchestrator")).isEqualTo("postgresql://127.0.0.1:" + pg.port() + "/orchestrator");
        }
    }

    @Test
    void givenDataDirSurvivesRestart() throws Exception {
        java.nio.file.Path dir = LocalDirs.freshDir("pg-keep-");
        int port;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(0, dir)) {
            port = pg.port();
            pg.createDatabase("kept");
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(port, dir)) {
            assertThat(pg.createDatabase("kept")).isFalse();
        }
    }
}
