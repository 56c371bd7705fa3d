package com.builde2e.sandbox.usage.boundary;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A charge once billed: the id of its usage record (the run's {@code executionId}) and what it
 * cost, in USD.
 */
public record Bill(UUID executionId, BigDecimal cost) {}
