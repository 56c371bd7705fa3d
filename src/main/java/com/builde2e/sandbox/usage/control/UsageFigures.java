package com.builde2e.sandbox.usage.control;

import java.math.BigDecimal;
import java.util.List;

/**
 * The totals of a set of runs. A failure is any run that did not complete with exit code 0 (so
 * timeouts and memory kills are failures too, also counted on their own); cost and time are exact
 * decimals, as stored.
 */
public record UsageFigures(
        long executions,
        long failures,
        long timeouts,
        long memoryKills,
        BigDecimal totalCost,
        BigDecimal totalExecutionTimeMs) {

    /** The figures' names in reports, in the order of {@link #values()}. */
    public static final List<String> NAMES =
            List.of(
                    "executions",
                    "failures",
                    "timeouts",
                    "memoryKills",
                    "totalCost",
                    "totalExecutionTimeMs");

    public static final UsageFigures NONE =
            new UsageFigures(0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO);

    /** Reads the six figure columns starting at {@code offset}, in the order of {@link #NAMES}. */
    static UsageFigures fromColumns(Object[] result, int offset) {
        return new UsageFigures(
                count(result[offset]),
                count(result[offset + 1]),
                count(result[offset + 2]),
                count(result[offset + 3]),
                amount(result[offset + 4]),
                amount(result[offset + 5]));
    }

    public UsageFigures plus(UsageFigures other) {
        return new UsageFigures(
                executions + other.executions,
                failures + other.failures,
                timeouts + other.timeouts,
                memoryKills + other.memoryKills,
                totalCost.add(other.totalCost),
                totalExecutionTimeMs.add(other.totalExecutionTimeMs));
    }

    /**
     * The figures in the order of {@link #NAMES}; decimals without trailing zeros (0.006, not
     * 0.006000).
     */
    public List<Number> values() {
        return List.of(
                executions,
                failures,
                timeouts,
                memoryKills,
                plain(totalCost),
                plain(totalExecutionTimeMs));
    }

    private static long count(Object column) {
        return ((Number) column).longValue();
    }

    private static BigDecimal amount(Object column) {
        return column == null ? BigDecimal.ZERO : (BigDecimal) column;
    }

    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
