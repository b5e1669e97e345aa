package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.settlement.StatementRebuildRunner;
import com.hongbao.ledger.projections.statement.StatementRebuild;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operations on the read models, for administrators. */
@RestController
@Tag(name = "Operations")
public class OperationsController {

    private final StatementRebuildRunner statementRebuild;

    public OperationsController(StatementRebuildRunner statementRebuild) {
        this.statementRebuild = statementRebuild;
    }

    /**
     * What a statements rebuild did; {@code position} is the global index it handed the processor,
     * {@code copySeconds} the reading and copying, {@code indexSeconds} the index builds and day totals.
     */
    public record RebuildView(long events, long lines, long settlementFacts, Long position, double seconds,
                              double copySeconds, double indexSeconds) {
    }

    @PostMapping("/v1/admin/statements/rebuild")
    @PreAuthorize("hasRole('admin')")
    @Operation(summary = "Rebuild the statements read model from the event store in one transaction (bulk, fast);"
            + " the statements processor must not run on any other node")
    public RebuildView rebuildStatements() {
        StatementRebuild.Result result = statementRebuild.run();
        return new RebuildView(result.events(), result.lines(), result.settlementFacts(), result.position(),
                result.seconds(), result.copySeconds(), result.indexSeconds());
    }
}
