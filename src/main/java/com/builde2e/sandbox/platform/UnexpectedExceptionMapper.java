package com.builde2e.sandbox.platform;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.sql.SQLException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last resort: a bug of ours, or the database out of reach. The caller gets a reference to
 * quote, never the stack trace, which goes to the server log under the same reference. A database
 * failure (however deeply the EJB container wrapped it) is not a bug: it is a 503 with {@code
 * Retry-After}, so clients wait instead of giving up.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        if (causedByDatabase(e)) {
            LOG.warning(() -> "database unavailable: " + Causes.root(e));
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", RetryDelays.UNAVAILABLE_SECONDS)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of("the database is unavailable; retry in a few seconds"))
                    .build();
        }
        String reference = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected failure " + reference, e);
        return Response.serverError()
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of("internal error, reference " + reference))
                .build();
    }

    private static boolean causedByDatabase(Throwable e) {
        return Causes.any(e, PersistenceException.class) || Causes.any(e, SQLException.class);
    }
}
