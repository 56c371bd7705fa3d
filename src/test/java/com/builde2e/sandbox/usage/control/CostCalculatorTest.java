package com.builde2e.sandbox.usage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

    private final CostCalculator calculator = new CostCalculator();

    @Test
    void everyRunCostsTwoTenthsOfACent() {
        assertEquals(new BigDecimal("0.002"), calculator.costOfRun());
    }

    @Test
    void aThousandRunsCostExactlyTwoDollars() {
        BigDecimal total =
                Stream.generate(calculator::costOfRun)
                        .limit(1000)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal("2").compareTo(total), total.toPlainString());
    }
}
