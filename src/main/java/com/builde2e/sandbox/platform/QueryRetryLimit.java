package com.builde2e.sandbox.platform;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.Session;

/**
 * Lets a read that lost its database connection fail at once. EclipseLink retries such a read (one
 * outside a transaction, like the API-key lookup of every request) three times by default, the
 * second and third time after 5 s each: with PostgreSQL down, every request hung 10 s before it
 * could be answered. Since the pool validates connections before handing them out
 * (server-config/post-boot-commands.asadmin), one immediate retry is enough to get past a
 * connection that died in between; waiting longer only delays the 503. Named in persistence.xml.
 */
public class QueryRetryLimit implements SessionCustomizer {

    private static final int RETRIES = 1;

    @Override
    public void customize(Session session) {
        session.getLogin().setQueryRetryAttemptCount(RETRIES);
    }
}
