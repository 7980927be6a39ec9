package io.hotswap.ops;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The dependency directions of DESIGN.md §1, held by the build: a wrong import fails here instead of waiting for a
 * reviewer. Maven's module dependencies already keep most modules apart; these rules also cover what they cannot see.
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hotswap");
    }

    @Test
    void thePublicLanguageDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.hotswap.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hotswap.rest..", "io.hotswap.command..",
                        "io.hotswap.query..", "io.hotswap.projections..", "io.hotswap.sagas..", "io.hotswap.ops..")
                .check(production);
    }

    @Test
    void theRestLayerSitsOnThePublicLanguageOnly() {
        noClasses().that().resideInAPackage("io.hotswap.rest..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hotswap.command..", "io.hotswap.query..",
                        "io.hotswap.projections..", "io.hotswap.sagas..", "io.hotswap.ops..")
                .check(production);
    }

    /** Refusals, messages and rules are the same whether they arrive over REST, Kafka or the CLI. */
    @Test
    void onlyTheRestLayerAndOpsKnowHttp() {
        noClasses().that().resideOutsideOfPackages("io.hotswap.rest..", "io.hotswap.ops..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hotswap.rest..", "org.springframework.web..",
                        "org.springframework.http..", "org.springframework.security..", "jakarta.servlet..",
                        "org.springframework.boot.actuate..")
                .check(production);
    }

    @Test
    void theWriteSideAndTheReadSideStayApart() {
        noClasses().that().resideInAPackage("io.hotswap.command..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hotswap.query..", "io.hotswap.projections..",
                        "io.hotswap.sagas..", "io.hotswap.ops..")
                .check(production);
        noClasses().that().resideInAnyPackage("io.hotswap.query..", "io.hotswap.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hotswap.command..", "io.hotswap.sagas..",
                        "io.hotswap.ops..")
                .check(production);
        noClasses().that().resideInAPackage("io.hotswap.sagas..")
                .should().dependOnClassesThat().resideInAnyPackage("io.hotswap.command..", "io.hotswap.query..",
                        "io.hotswap.projections..", "io.hotswap.ops..")
                .check(production);
    }

    @Test
    void onlyOpsKnowsAnAdapter() {
        noClasses().that().resideOutsideOfPackage("io.hotswap.ops..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..", "org.redisson..",
                        "org.apache.kafka..", "io.fabric8..", "io.zonky..", "com.github.kagkarlsson..",
                        "com.zaxxer.hikari..", "org.flywaydb..")
                .check(production);
    }

    /** A runtime adapter is handed what it needs to know about a version; it never reads a read model. */
    @Test
    void runtimeAdaptersDoNotReadTheCatalogue() {
        noClasses().that().resideInAPackage("io.hotswap.ops.runtime..")
                .should().dependOnClassesThat().resideInAPackage("io.hotswap.query..")
                .check(production);
    }

    /** The benchmark and its sample plugins are reached from the CLI's bench command only, never by the server. */
    @Test
    void onlyTheCliReachesTheBenchmark() {
        noClasses().that().resideOutsideOfPackage("io.hotswap.ops.bench..").and().doNotBelongToAnyOf(Cli.class)
                .should().dependOnClassesThat().resideInAPackage("io.hotswap.ops.bench..")
                .check(production);
    }

    /** Events are a public contract read on Kafka: plain records that know no web, security or Spring. */
    @Test
    void eventsAreVersionedRecordsThatKnowNoFramework() {
        classes().that().resideInAPackage("io.hotswap.api..").and().areAnnotatedWith(Revision.class)
                .should().beRecords()
                .andShould().onlyDependOnClassesThat().resideInAnyPackage("io.hotswap.api..", "java..",
                        "org.axonframework.serialization..", "com.fasterxml.jackson.annotation..")
                .check(production);
    }
}
