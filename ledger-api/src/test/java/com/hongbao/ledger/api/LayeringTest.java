package com.hongbao.ledger.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point inward: api → projections → core, never back, and read models know no HTTP. */
class LayeringTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.hongbao.ledger");
    }

    @Test
    void the_core_depends_on_neither_read_models_nor_the_application() {
        noClasses().that().resideInAPackage("com.hongbao.ledger.core..")
                .should().dependOnClassesThat().resideInAnyPackage("com.hongbao.ledger.projections..",
                        "com.hongbao.ledger.api..", "org.springframework..", "java.sql..", "javax.sql..")
                .check(classes);
    }

    @Test
    void read_models_know_the_core_but_not_the_application_or_http() {
        noClasses().that().resideInAPackage("com.hongbao.ledger.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("com.hongbao.ledger.api..",
                        "org.springframework.web..", "org.springframework.http..", "jakarta.servlet..",
                        "tools.jackson..", "com.fasterxml.jackson..")
                .check(classes);
    }
}
