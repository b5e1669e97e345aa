package com.hongbao.ledger.core;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchTimingScratchTest {
    @Test
    void time() {
        long a = System.nanoTime();
        var c = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.hongbao.ledger.core");
        long b = System.nanoTime();
        System.out.println("IMPORT ms=" + (b - a) / 1_000_000 + " n=" + c.size());
        var d = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("com.hongbao.ledger.core");
        long e = System.nanoTime();
        System.out.println("IMPORT2 ms=" + (e - b) / 1_000_000);
        ArchitectureTest.NO_FRAMEWORK_BUT_AXON.check(c);
        long f = System.nanoTime();
        System.out.println("RULE1 ms=" + (f - e) / 1_000_000);
        ArchitectureTest.NO_FLOATING_POINT_FIELDS.check(c);
        ArchitectureTest.NO_FLOATING_POINT_SIGNATURES.check(c);
        System.out.println("RULE23 ms=" + (System.nanoTime() - f) / 1_000_000);
    }
}
