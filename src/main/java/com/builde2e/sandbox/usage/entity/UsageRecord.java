package com.builde2e.sandbox.usage.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One billed run (table {@code usage_record}): who ran what language, how it ended, what it used
 * and cost. Its id is the {@code executionId} the caller receives. Immutable once written.
 */
@Entity
@Table(name = "usage_record")
@NamedNativeQuery(
        name = UsageRecord.REPORT_BY_KEY,
        query =
                "SELECT k.id, k.name, k.prefix, "
                        + UsageRecord.REPORT_FIGURES
                        + " FROM usage_record u JOIN api_key k ON k.id = u.api_key_id WHERE "
                        + UsageRecord.REPORT_SELECTION
                        + " GROUP BY k.id, k.name, k.prefix, k.created_at ORDER BY k.created_at, k.id")
@NamedNativeQuery(
        name = UsageRecord.REPORT_BY_DAY,
        query =
                "SELECT CAST(u.created_at AT TIME ZONE 'UTC' AS DATE), "
                        + UsageRecord.REPORT_FIGURES
                        + " FROM usage_record u WHERE "
                        + UsageRecord.REPORT_SELECTION
                        + " GROUP BY 1 ORDER BY 1")
public class UsageRecord {

    /**
     * Usage per key: id, name, prefix, then the report figures. Native SQL, as are the others, for
     * FILTER.
     */
    public static final String REPORT_BY_KEY = "UsageRecord.reportByKey";

    /** Usage per UTC day: the date, then the report figures. */
    public static final String REPORT_BY_DAY = "UsageRecord.reportByDay";

    /**
     * The columns every report row ends with: executions, failures (any run that did not complete
     * with exit 0), timeouts, memory kills, total cost, total execution time.
     */
    static final String REPORT_FIGURES =
            "COUNT(*), COUNT(*) FILTER (WHERE u.status <> 'completed'), "
                    + "COUNT(*) FILTER (WHERE u.status = 'timed_out'), COUNT(*) FILTER (WHERE u.status = 'memory_limit'), "
                    + "SUM(u.cost_usd), SUM(u.execution_time_ms)";

    /**
     * Reports' parameters: ?1 from (inclusive), ?2 to (exclusive), ?3 one key's id or '' for every
     * key.
     */
    static final String REPORT_SELECTION =
            "u.created_at >= ?1 AND u.created_at < ?2 "
                    + "AND (?3 = '' OR u.api_key_id = CAST(NULLIF(?3, '') AS UUID))";

    @Id private UUID id;

    @Column(name = "api_key_id", nullable = false, updatable = false)
    private UUID apiKeyId;

    /** Wire name of the language ({@code python}, {@code javascript}). */
    @Column(nullable = false, updatable = false)
    private String language;

    /** Wire name of the run status ({@code completed}, {@code timed_out}, ...). */
    @Column(nullable = false, updatable = false)
    private String status;

    @Column(name = "exit_code", nullable = false, updatable = false)
    private int exitCode;

    @Column(name = "timed_out", nullable = false, updatable = false)
    private boolean timedOut;

    @Column(name = "execution_time_ms", nullable = false, updatable = false)
    private BigDecimal executionTimeMs;

    @Column(name = "memory_usage_mb", nullable = false, updatable = false)
    private BigDecimal memoryUsageMb;

    @Column(name = "code_bytes", nullable = false, updatable = false)
    private int codeBytes;

    @Column(name = "stdout_bytes", nullable = false, updatable = false)
    private long stdoutBytes;

    @Column(name = "stderr_bytes", nullable = false, updatable = false)
    private long stderrBytes;

    @Column(name = "cost_usd", nullable = false, updatable = false)
    private BigDecimal costUsd;

    @Column(name = "created_at", nullable = false, updatable = false)
    private OffsetDateTime createdAt;

    protected UsageRecord() {
        // for JPA
    }

    private UsageRecord(Builder b) {
        this.id = UUID.randomUUID();
        this.apiKeyId = b.apiKeyId;
        this.language = b.language;
        this.status = b.status;
        this.exitCode = b.exitCode;
        this.timedOut = b.timedOut;
        this.executionTimeMs = b.executionTimeMs;
        this.memoryUsageMb = b.memoryUsageMb;
        this.codeBytes = b.codeBytes;
        this.stdoutBytes = b.stdoutBytes;
        this.stderrBytes = b.stderrBytes;
        this.costUsd = b.costUsd;
        this.createdAt = OffsetDateTime.now();
    }

    public static Builder builder() {
        return new Builder();
    }

    public UUID getId() {
        return id;
    }

    public BigDecimal getCostUsd() {
        return costUsd;
    }

    /**
     * Names every one of the thirteen columns at the call site, which positional arguments would
     * not.
     */
    public static final class Builder {

        private UUID apiKeyId;
        private String language;
        private String status;
        private int exitCode;
        private boolean timedOut;
        private BigDecimal executionTimeMs;
        private BigDecimal memoryUsageMb;
        private int codeBytes;
        private long stdoutBytes;
        private long stderrBytes;
        private BigDecimal costUsd;

        public Builder apiKeyId(UUID value) {
            apiKeyId = value;
            return this;
        }

        public Builder language(String value) {
            language = value;
            return this;
        }

        public Builder status(String value) {
            status = value;
            return this;
        }

        public Builder exitCode(int value) {
            exitCode = value;
            return this;
        }

        public Builder timedOut(boolean value) {
            timedOut = value;
            return this;
        }

        public Builder executionTimeMs(BigDecimal value) {
            executionTimeMs = value;
            return this;
        }

        public Builder memoryUsageMb(BigDecimal value) {
            memoryUsageMb = value;
            return this;
        }

        public Builder codeBytes(int value) {
            codeBytes = value;
            return this;
        }

        public Builder stdoutBytes(long value) {
            stdoutBytes = value;
            return this;
        }

        public Builder stderrBytes(long value) {
            stderrBytes = value;
            return this;
        }

        public Builder costUsd(BigDecimal value) {
            costUsd = value;
            return this;
        }

        public UsageRecord build() {
            return new UsageRecord(this);
        }
    }
}
