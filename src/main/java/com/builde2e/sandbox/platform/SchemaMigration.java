package com.builde2e.sandbox.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema up to the versioned scripts of {@code sql/} (packaged as {@code db/migration}) while
 * the application deploys, so the schema is current before JPA or any request uses it. Start-up beans that write
 * to the database declare {@code @DependsOn("SchemaMigration")}.
 * <p>
 * Also defines the one data source: its URL and credentials come from MicroProfile Config, so the environment
 * variables SANDBOX_DB_URL, SANDBOX_DB_USER and SANDBOX_DB_PASSWORD override them. Pooled connections are
 * validated before use, so the service recovers by itself when PostgreSQL comes back after an outage.
 */
@DataSourceDefinition(
        name = SchemaMigration.DATA_SOURCE,
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${MPCONFIG=sandbox.db.url}",
        user = "${MPCONFIG=sandbox.db.user}",
        password = "${MPCONFIG=sandbox.db.password}",
        minPoolSize = 1,
        maxPoolSize = 32,
        properties = {
                // a connection is checked before it is handed out, and one failed check closes every pooled
                // connection: after PostgreSQL restarts, the pool's dead connections are replaced at once instead
                // of failing requests until each has been tried
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.PostgresConnectionValidation",
                "fish.payara.fail-all-connections=true"})
@Singleton
@Startup
// Flyway manages its own transactions on the connection it takes
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {

    public static final String DATA_SOURCE = "java:app/jdbc/sandbox";

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        MigrateResult result = Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.info(() -> "database schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migrations applied now)");
    }
}
