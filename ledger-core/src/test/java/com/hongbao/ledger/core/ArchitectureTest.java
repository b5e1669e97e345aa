package com.hongbao.ledger.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static org.assertj.core.api.Assertions.assertThat;

import com.hongbao.ledger.core.money.Money;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.math.BigDecimal;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md points 1 and 3: the core uses no framework but Axon, and no money passes through
 * floating point or BigDecimal ({@code Money.toDecimalString} may use a BigDecimal local for display).
 */
class ArchitectureTest {

    static final String CORE_PACKAGE = "com.hongbao.ledger.core";

    static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(CORE_PACKAGE);

    static final DescribedPredicate<JavaClass> FLOATING_POINT_OR_DECIMAL = DescribedPredicate.describe(
            "double, float, Double, Float or BigDecimal",
            javaClass -> Set.of("double", "float", Double.class.getName(), Float.class.getName(),
                    BigDecimal.class.getName()).contains(javaClass.getName()));

    static final ArchRule NO_FRAMEWORK_BUT_AXON = noClasses().that().resideInAPackage(CORE_PACKAGE + "..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "java.sql..", "javax.sql..", "jakarta.servlet..", "javax.servlet..",
                    "com.fasterxml..", "tools.jackson..")
            .because("ledger-core uses Axon's modelling annotations but no Spring, JDBC, HTTP or JSON library");

    static final ArchRule NO_FLOATING_POINT_FIELDS = noFields().that().areDeclaredInClassesThat()
            .resideInAPackage(CORE_PACKAGE + "..")
            .should().haveRawType(FLOATING_POINT_OR_DECIMAL)
            .because("money is a Money of integer minor units");

    static final ArchRule NO_FLOATING_POINT_SIGNATURES = codeUnits().that().areDeclaredInClassesThat()
            .resideInAPackage(CORE_PACKAGE + "..")
            .should(new ArchCondition<JavaCodeUnit>("neither take nor return " + FLOATING_POINT_OR_DECIMAL.getDescription()) {
                @Override
                public void check(JavaCodeUnit codeUnit, ConditionEvents events) {
                    boolean offending = codeUnit.getRawParameterTypes().stream().anyMatch(FLOATING_POINT_OR_DECIMAL)
                            || FLOATING_POINT_OR_DECIMAL.test(codeUnit.getRawReturnType());
                    events.add(new SimpleConditionEvent(codeUnit, !offending, codeUnit.getFullName()));
                }
            })
            .because("money is a Money of integer minor units");

    @Test
    void the_rules_see_the_core_classes() {
        assertThat(CORE.contain(Money.class)).isTrue();
        assertThat(CORE.that(JavaClass.Predicates.resideInAPackage(CORE_PACKAGE + ".."))).hasSizeGreaterThan(30);
    }

    @Test
    void the_core_depends_on_no_spring_jdbc_servlet_or_json_library() {
        NO_FRAMEWORK_BUT_AXON.check(CORE);
    }

    @Test
    void no_core_field_holds_a_floating_point_or_decimal_number() {
        NO_FLOATING_POINT_FIELDS.check(CORE);
    }

    @Test
    void no_core_method_or_constructor_takes_or_returns_a_floating_point_or_decimal_number() {
        NO_FLOATING_POINT_SIGNATURES.check(CORE);
    }
}
