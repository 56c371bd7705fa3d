package com.builde2e.sandbox.platform;

/**
 * How long a client refused with 503 is asked to wait ({@code Retry-After}) before it tries again.
 */
public final class RetryDelays {

    /**
     * Our side failed (the agent, the database, billing) or the service is stopping: long enough
     * for a supervised agent or a database to come back, or a new instance to start taking
     * requests.
     */
    public static final int UNAVAILABLE_SECONDS = 5;

    /** Every sandbox is taken: runs end within seconds, so a short wait usually finds one free. */
    public static final int BUSY_SECONDS = 1;

    private RetryDelays() {}
}
