package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.usage.control.CostCalculator;
import com.builde2e.sandbox.usage.entity.UsageRecord;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.UUID;

/**
 * What other components call to bill: prices a run from what they report and writes its usage
 * record, each bill in its own transaction.
 */
@Stateless
public class Billing {

    @PersistenceContext(unitName = "sandbox")
    EntityManager em;

    @Inject CostCalculator costs;

    /**
     * Bills a run to a key and commits its usage record before returning, so that a run is answered
     * only once it is billed. A failure to commit surfaces here as an exception, and the caller
     * must not report the run as done.
     *
     * @param keyId the API key the run is billed to
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Bill bill(UUID keyId, Charge charge) {
        UsageRecord record =
                UsageRecord.builder()
                        .apiKeyId(keyId)
                        .language(charge.language())
                        .status(charge.status())
                        .exitCode(charge.exitCode())
                        .timedOut(charge.timedOut())
                        .executionTimeMs(charge.executionTimeMs())
                        .memoryUsageMb(charge.memoryUsageMb())
                        .codeBytes(charge.codeBytes())
                        .stdoutBytes(charge.stdoutBytes())
                        .stderrBytes(charge.stderrBytes())
                        .costUsd(costs.costOfRun())
                        .build();
        em.persist(record);
        return new Bill(record.getId(), record.getCostUsd());
    }
}
