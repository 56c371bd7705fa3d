package com.builde2e.sandbox.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the database schema up to the versioned scripts of {@code sql/} (packaged as {@code
 * db/migration}) while the application deploys, so the schema is current before JPA or any request
 * uses it. Start-up beans that write to the database declare {@code @DependsOn("SchemaMigration")}.
 */
@Singleton
@Startup
// Flyway manages its own transactions on the connection it takes
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {

    /** The one data source, defined with its pool in server-config/post-boot-commands.asadmin. */
    public static final String DATA_SOURCE = "jdbc/sandbox";

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        MigrateResult result =
                Flyway.configure(getClass().getClassLoader())
                        .dataSource(dataSource)
                        .locations("classpath:db/migration")
                        .load()
                        .migrate();
        LOG.info(
                () ->
                        "database schema at version "
                                + result.targetSchemaVersion
                                + " ("
                                + result.migrationsExecuted
                                + " migrations applied now)");
    }
}
