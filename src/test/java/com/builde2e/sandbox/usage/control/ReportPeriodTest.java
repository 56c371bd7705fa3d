package com.builde2e.sandbox.usage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.builde2e.sandbox.platform.ApiError;
import com.builde2e.sandbox.platform.RequestRefusedException;
import com.builde2e.sandbox.platform.RequestRefusedException.Reason;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportPeriodTest {

    @Test
    void datesCoverWholeUtcDaysAtBothEnds() {
        ReportPeriod period = ReportPeriod.parse("2026-11-01", "2026-11-30");

        assertEquals(OffsetDateTime.parse("2026-11-01T00:00:00Z"), period.from());
        assertEquals(OffsetDateTime.parse("2026-12-01T00:00:00Z"), period.to());
    }

    @Test
    void sameDayAtBothEndsIsThatDay() {
        ReportPeriod period = ReportPeriod.parse("2026-11-26", "2026-11-26");

        assertEquals(OffsetDateTime.parse("2026-11-27T00:00:00Z"), period.to());
    }

    @Test
    void dateTimesAreExactAndTurnedIntoUtc() {
        ReportPeriod period =
                ReportPeriod.parse("2026-11-26T13:00:00+02:00", "2026-11-26T12:30:00Z");

        assertEquals(OffsetDateTime.parse("2026-11-26T11:00:00Z"), period.from());
        assertEquals(OffsetDateTime.parse("2026-11-26T12:30:00Z"), period.to());
    }

    @Test
    void missingOrBlankEndsAreOpen() {
        ReportPeriod period = ReportPeriod.parse(null, " ");

        assertNull(period.from());
        assertNull(period.to());
        assertEquals(ReportPeriod.EARLIEST, period.fromOrEarliest());
        assertEquals(ReportPeriod.LATEST, period.toOrLatest());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "yesterday",
                "2026-13-01",
                "2026-11-31",
                "26-11-2026",
                "2026-11-26T10:00:00",
                "1969-12-31",
                "12345",
                "2026-11-26 10:00:00Z"
            })
    void unreadableFromIsA400NamingFrom(String from) {
        RequestRefusedException e =
                assertThrows(RequestRefusedException.class, () -> ReportPeriod.parse(from, null));

        assertEquals(Reason.INVALID, e.reason());
        assertEquals("from", e.body().field());
    }

    @Test
    void unreadableToIsA400NamingTo() {
        RequestRefusedException e =
                assertThrows(RequestRefusedException.class, () -> ReportPeriod.parse(null, "soon"));

        assertEquals("to", e.body().field());
    }

    @Test
    void emptyOrBackwardsSpanIsA400NamingTo() {
        ApiError backwards =
                assertThrows(
                                RequestRefusedException.class,
                                () -> ReportPeriod.parse("2026-11-26", "2026-11-25"))
                        .body();
        ApiError empty =
                assertThrows(
                                RequestRefusedException.class,
                                () ->
                                        ReportPeriod.parse(
                                                "2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z"))
                        .body();

        assertEquals(new ApiError("to must be later than from", "to"), backwards);
        assertEquals("to", empty.field());
    }
}
