package dev.rotor.orchestrator.persistence;

import static dev.rotor.orchestrator.persistence.DatabaseFailure.PERMANENT;
import static dev.rotor.orchestrator.persistence.DatabaseFailure.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

class DatabaseFailureTest {

    @Test
    void connectionTroubleRetryableStatesAndTimeoutsAreTransientWhereverTheyAreInTheChain() {
        assertThat(DatabaseFailure.of(new CompletionException(new ConnectException("refused")))).isEqualTo(TRANSIENT);
        assertThat(DatabaseFailure.of(new HibernateException("x", ClosedConnectionException.INSTANCE)))
                .isEqualTo(TRANSIENT);
        assertThat(DatabaseFailure.of(new TimeoutException())).isEqualTo(TRANSIENT);
        assertThat(DatabaseFailure.of(pg("57P01"))).isEqualTo(TRANSIENT);
        assertThat(DatabaseFailure.of(pg("40001"))).isEqualTo(TRANSIENT);
        assertThat(DatabaseFailure.of(pg("40P01"))).isEqualTo(TRANSIENT);
        assertThat(DatabaseFailure.of(pg("53300"))).isEqualTo(TRANSIENT);
        assertThat(DatabaseFailure.of(new SQLException("gone", "08006"))).isEqualTo(TRANSIENT);
    }

    @Test
    void constraintsSyntaxAndUnknownFailuresArePermanent() {
        assertThat(DatabaseFailure.of(new HibernateException("dup", pg("23505")))).isEqualTo(PERMANENT);
        assertThat(DatabaseFailure.of(pg("42P01"))).isEqualTo(PERMANENT);
        assertThat(DatabaseFailure.of(new SQLException("bad", "22001", new ConnectException()))).as(
                "the database's own verdict wins over a cause further down").isEqualTo(PERMANENT);
        assertThat(DatabaseFailure.of(new IllegalStateException("bug"))).isEqualTo(PERMANENT);
    }

    private static PgException pg(String state) {
        return new PgException("message", "ERROR", state, "detail");
    }
}
