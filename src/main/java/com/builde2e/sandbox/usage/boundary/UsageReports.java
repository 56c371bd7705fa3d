package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.usage.control.UsageQuery;
import com.builde2e.sandbox.usage.control.UsageReport;
import com.builde2e.sandbox.usage.control.UsageRow;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.util.List;

/** Runs usage reports; the database does the counting and summing, one query per report. */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class UsageReports {

    @PersistenceContext(unitName = "sandbox")
    EntityManager em;

    public UsageReport report(UsageQuery query) {
        @SuppressWarnings("unchecked")
        List<Object[]> results =
                em.createNamedQuery(query.groupBy().queryName())
                        .setParameter(
                                1, Timestamp.from(query.period().fromOrEarliest().toInstant()))
                        .setParameter(2, Timestamp.from(query.period().toOrLatest().toInstant()))
                        .setParameter(3, query.keyFilter())
                        .getResultList();
        List<UsageRow> rows = results.stream().map(query.groupBy()::toRow).toList();
        return new UsageReport(query, rows);
    }
}
