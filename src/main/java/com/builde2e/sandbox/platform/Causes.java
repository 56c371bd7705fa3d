package com.builde2e.sandbox.platform;

/**
 * Walks an exception's cause chain, which the EJB and persistence containers wrap several layers
 * deep.
 */
public final class Causes {

    private Causes() {}

    /** The innermost cause (say, the driver's "connection refused"). */
    public static Throwable root(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Whether {@code e} or any of its causes is an instance of {@code type}. */
    public static boolean any(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
