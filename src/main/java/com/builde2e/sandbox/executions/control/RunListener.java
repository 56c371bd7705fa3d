package com.builde2e.sandbox.executions.control;

import java.io.Closeable;

/**
 * Follows a run while it goes on, for a caller that shows its output live. Called on the thread
 * that runs it.
 */
public interface RunListener {

    /**
     * The request has reached the agent. Closing {@code connection} (from any thread) makes the
     * agent kill the run; the waiting {@link AgentClient#run} then fails.
     */
    void sent(Closeable connection);

    /**
     * The next piece of one of the program's streams, in order.
     *
     * @param stream {@code stdout} or {@code stderr}
     */
    void output(String stream, String chunk);
}
