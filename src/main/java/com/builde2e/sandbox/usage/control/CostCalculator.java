package com.builde2e.sandbox.usage.control;

import com.builde2e.sandbox.executions.entity.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;

/**
 * The price of a run: a flat $0.002 whether the code succeeded or failed, nothing when our infrastructure kept it
 * from starting. Exact decimals only: money never passes through a double.
 */
@ApplicationScoped
public class CostCalculator {

    public static final BigDecimal PRICE_PER_RUN_USD = new BigDecimal("0.002");

    public BigDecimal costOf(RunStatus status) {
        return status.started() ? PRICE_PER_RUN_USD : BigDecimal.ZERO;
    }
}
