package com.builde2e.sandbox.executions.control;

/** Every run slot ({@link RunSlots}) is taken: the run was not sent, and may be retried shortly. */
public class SandboxesBusyException extends RuntimeException {

    public SandboxesBusyException() {
        super("every run slot is taken", null, false, false);
    }
}
