package dev.rotor.orchestrator.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.FreezeSpec;
import dev.rotor.contracts.catalog.WindowSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeCalendarTest {
    private static final ChangeCalendar CALENDAR = new ChangeCalendar(List.of(
            new FreezeSpec("2026-12-20T00:00:00Z", "2027-01-04T00:00:00Z", null, null, "year-end freeze"),
            // Fridays 16:00 UTC for 64 h: until Monday 08:00.
            new FreezeSpec(null, null, "0 0 16 ? * FRI", "64h", "weekend freeze")));
    // Tuesday to Thursday, 02:00-06:00 UTC.
    private static final List<WindowSpec> NIGHTS = List.of(new WindowSpec("0 0 2 ? * TUE-THU", "4h"));

    @Test
    void aFixedFreezeCoversItsRangeWithoutItsEnd() {
        ChangeCalendar yearEnd = new ChangeCalendar(List.of(
                new FreezeSpec("2026-12-20T00:00:00Z", "2027-01-04T00:00:00Z", null, null, "year-end freeze")));
        assertThat(yearEnd.freezeAt(Instant.parse("2026-12-19T23:59:59Z"))).isEmpty();
        assertThat(yearEnd.freezeAt(Instant.parse("2026-12-20T00:00:00Z"))).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo("year-end freeze");
            assertThat(f.end()).isEqualTo(Instant.parse("2027-01-04T00:00:00Z"));
        });
        assertThat(yearEnd.freezeAt(Instant.parse("2027-01-04T00:00:00Z"))).isEmpty();
        // With the weekend freeze too, the longer one is named: Sunday 2026-12-20 is in both.
        assertThat(CALENDAR.freezeAt(Instant.parse("2026-12-20T12:00:00Z")).orElseThrow().reason())
                .isEqualTo("year-end freeze");
    }

    @Test
    void aRecurringFreezeStartsAtItsCronAndLastsItsDuration() {
        // 2026-12-04 is a Friday.
        assertThat(CALENDAR.freezeAt(Instant.parse("2026-12-04T15:59:59Z"))).isEmpty();
        assertThat(CALENDAR.freezeAt(Instant.parse("2026-12-04T16:00:00Z"))).hasValueSatisfying(f -> assertThat(f)
                .isEqualTo(new ChangeCalendar.Freeze("weekend freeze", Instant.parse("2026-12-04T16:00:00Z"),
                        Instant.parse("2026-12-07T08:00:00Z"))));
        assertThat(CALENDAR.freezeAt(Instant.parse("2026-12-06T12:00:00Z"))).isPresent();
        assertThat(CALENDAR.freezeAt(Instant.parse("2026-12-07T08:00:00Z"))).isEmpty();
    }

    @Test
    void theNextAllowedTimeLeavesEveryFreezeAndFindsAWindow() {
        Instant saturday = Instant.parse("2026-12-05T10:00:00Z");
        assertThat(CALENDAR.nextAllowed(List.of(), saturday)).contains(Instant.parse("2026-12-07T08:00:00Z"));
        // Monday 08:00 is outside the nights: Tuesday 02:00.
        assertThat(CALENDAR.nextAllowed(NIGHTS, saturday)).contains(Instant.parse("2026-12-08T02:00:00Z"));
        // Inside a window and no freeze: now.
        Instant wednesdayNight = Instant.parse("2026-12-09T03:30:00Z");
        assertThat(ChangeCalendar.inWindow(NIGHTS, wednesdayNight)).isTrue();
        assertThat(CALENDAR.nextAllowed(NIGHTS, wednesdayNight)).contains(wednesdayNight);
        assertThat(ChangeCalendar.inWindow(NIGHTS, Instant.parse("2026-12-09T06:00:00Z"))).isFalse();
        // The year-end freeze, then the first night window after it (2027-01-04 is a Monday).
        assertThat(CALENDAR.nextAllowed(NIGHTS, Instant.parse("2026-12-24T12:00:00Z")))
                .contains(Instant.parse("2027-01-05T02:00:00Z"));
    }

    @Test
    void aCalendarThatNeverAllowsAnythingSaysSo() {
        ChangeCalendar always = new ChangeCalendar(List.of(
                new FreezeSpec("2026-01-01T00:00:00Z", "2099-01-01T00:00:00Z", null, null, "forever")));
        assertThat(always.nextAllowed(List.of(), Instant.parse("2026-12-05T10:00:00Z"))).isEmpty();
    }
}
