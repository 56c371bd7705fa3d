package com.builde2e.sandbox.usage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.builde2e.sandbox.executions.entity.RunStatus;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CostCalculatorTest {

    private final CostCalculator calculator = new CostCalculator();

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"COMPLETED", "FAILED", "TIMED_OUT", "MEMORY_LIMIT", "OUTPUT_LIMIT",
        "KILLED"})
    void everyRunThatStartedCostsTwoTenthsOfACent(RunStatus status) {
        assertEquals(new BigDecimal("0.002"), calculator.costOf(status));
    }

    @ParameterizedTest
    @EnumSource(value = RunStatus.class, names = {"INFRA_ERROR", "REJECTED"})
    void runsThatNeverStartedCostNothing(RunStatus status) {
        assertEquals(0, calculator.costOf(status).signum());
    }

    @Test
    void aThousandRunsCostExactlyTwoDollars() {
        BigDecimal total = Stream.generate(() -> calculator.costOf(RunStatus.COMPLETED))
                .limit(1000)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, new BigDecimal("2").compareTo(total), total.toPlainString());
    }
}
