package com.builde2e.sandbox.usage.boundary;

import java.math.BigDecimal;

/**
 * What one run used, as the component that ran it reports it: the figures its usage record keeps.
 * Language and status are the wire names the caller saw ({@code python}, {@code timed_out}); a
 * charge is only ever made for a run whose user code started.
 */
public record Charge(
        String language,
        String status,
        int exitCode,
        boolean timedOut,
        BigDecimal executionTimeMs,
        BigDecimal memoryUsageMb,
        int codeBytes,
        long stdoutBytes,
        long stderrBytes) {}
