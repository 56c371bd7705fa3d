package com.builde2e.sandbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of the code (see the house style): components point one way, HTTP stays in the
 * boundary, and within a component boundary uses control uses entity, never the other way round.
 */
@AnalyzeClasses(
        packages = "com.builde2e.sandbox",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * executions may bill through usage, and usage must not know executions; likewise for every
     * pair.
     */
    @ArchTest
    static final ArchRule componentsHaveNoCycles =
            slices().matching("com.builde2e.sandbox.(*)..")
                    .namingSlices("component $1")
                    .should()
                    .beFreeOfCycles();

    /**
     * Status codes, media types, JSON views and writers belong to the boundary, which maps domain
     * failures.
     */
    @ArchTest
    static final ArchRule controlAndEntityKnowNoHttp =
            noClasses()
                    .that()
                    .resideInAnyPackage("..control..", "..entity..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "jakarta.ws.rs..",
                            "jakarta.servlet..",
                            "jakarta.json.bind..",
                            "jakarta.security.enterprise..")
                    .as(
                            "control and entity classes use no JAX-RS, servlet, JSON-B or HTTP security types");

    @ArchTest
    static final ArchRule entityUsesNoBoundaryOrControl =
            noClasses()
                    .that()
                    .resideInAPackage("..entity..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("..boundary..", "..control..")
                    .as("entities depend on no boundary or control class");

    @ArchTest
    static final ArchRule controlUsesNoBoundary =
            noClasses()
                    .that()
                    .resideInAPackage("..control..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("..boundary..")
                    .as("control classes depend on no boundary class");

    /**
     * Billing is usage's offer to other components: they see neither its records nor its machinery.
     */
    @ArchTest
    static final ArchRule executionsBillOnlyThroughUsageBoundary =
            noClasses()
                    .that()
                    .resideInAPackage("com.builde2e.sandbox.executions..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "com.builde2e.sandbox.usage.control..",
                            "com.builde2e.sandbox.usage.entity..")
                    .as("executions reach usage only through its boundary");

    /**
     * The MCP server is one more way to call the execute facade: it uses what the execute endpoint
     * uses and nothing of the machinery behind it.
     */
    @ArchTest
    static final ArchRule mcpRunsCodeOnlyThroughTheExecutionsBoundary =
            noClasses()
                    .that()
                    .resideInAPackage("com.builde2e.sandbox.mcp..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "com.builde2e.sandbox.executions.control..",
                            "com.builde2e.sandbox.usage..")
                    .as(
                            "mcp reaches executions only through its boundary, and bills only through it");

    /** Nothing depends on the MCP server: removing it leaves the REST API whole. */
    @ArchTest
    static final ArchRule nothingDependsOnMcp =
            noClasses()
                    .that()
                    .resideOutsideOfPackage("com.builde2e.sandbox.mcp..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAPackage("com.builde2e.sandbox.mcp..")
                    .as("no component depends on mcp");
}
