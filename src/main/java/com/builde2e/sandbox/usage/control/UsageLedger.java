package com.builde2e.sandbox.usage.control;

import com.builde2e.sandbox.usage.entity.UsageRecord;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Writes usage records, each in its own transaction that is committed when {@link #record} returns. */
@Stateless
public class UsageLedger {

    @PersistenceContext(unitName = "sandbox")
    EntityManager em;

    /**
     * Commits the record before returning, so a run is answered only once it is billed. A failure to commit
     * surfaces here as an exception, and the caller must not report the run as done.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void record(UsageRecord record) {
        em.persist(record);
    }
}
