package com.builde2e.sandbox.usage.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;

/**
 * The price of a run: a flat $0.002 whatever the language, however the code ended and whatever it
 * used. A run our infrastructure kept from starting is never charged, so it has no price here.
 * Exact decimals only: money never passes through a double.
 */
@ApplicationScoped
public class CostCalculator {

    public static final BigDecimal PRICE_PER_RUN_USD = new BigDecimal("0.002");

    public BigDecimal costOfRun() {
        return PRICE_PER_RUN_USD;
    }
}
