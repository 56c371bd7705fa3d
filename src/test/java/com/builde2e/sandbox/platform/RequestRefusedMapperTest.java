package com.builde2e.sandbox.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.builde2e.sandbox.platform.RequestRefusedException.Reason;
import org.junit.jupiter.api.Test;

class RequestRefusedMapperTest {

    @Test
    void eachReasonIsTheStatusClientsHaveAlwaysSeen() {
        assertEquals(400, RequestRefusedMapper.status(Reason.INVALID).getStatusCode());
        assertEquals(413, RequestRefusedMapper.status(Reason.TOO_LARGE).getStatusCode());
        assertEquals(404, RequestRefusedMapper.status(Reason.UNKNOWN).getStatusCode());
        assertEquals(403, RequestRefusedMapper.status(Reason.NOT_PERMITTED).getStatusCode());
    }

    @Test
    void theBodyNamesTheFieldAtFault() {
        assertEquals(
                new ApiError("code must not be empty", "code"),
                RequestRefusedException.invalid("code", "code must not be empty").body());
    }
}
