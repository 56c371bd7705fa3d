package com.builde2e.sandbox.executions.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The runs this instance may have at the agents at once (sandbox.max-concurrent-runs): a run beyond
 * them is refused at once rather than queued, since the jails, not request threads, are what runs
 * out. A counter taken and given back by the run's own thread; a Fault Tolerance bulkhead did the
 * same through an interceptor chain on every run.
 */
@ApplicationScoped
public class RunSlots {

    private Semaphore free;

    protected RunSlots() {
        // for the CDI proxy
    }

    @Inject
    public RunSlots(@ConfigProperty(name = "sandbox.max-concurrent-runs") int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException(
                    "sandbox.max-concurrent-runs must be at least 1, not " + slots);
        }
        free = new Semaphore(slots);
    }

    /** No limit: for a client made without the container. */
    static RunSlots unlimited() {
        return new RunSlots(Integer.MAX_VALUE);
    }

    /**
     * @return false when every slot is taken; true when one was taken, to be given back with {@link
     *     #giveBack()}
     */
    public boolean tryTake() {
        return free.tryAcquire();
    }

    public void giveBack() {
        free.release();
    }
}
