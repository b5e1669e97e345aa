package com.hongbao.ledger.api.web;

import com.hongbao.ledger.api.credits.ParkedCredits;
import com.hongbao.ledger.api.credits.ParkedCredits.ParkedCredit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Finance's view of credits parked in the dead-letter queue: money on its way into a wallet that the
 * wallet could not take yet (at its maximum balance, say). They are retried automatically and leave
 * this list when applied.
 */
@RestController
@RequestMapping("/v1/finance")
@Tag(name = "Finance")
@PreAuthorize("hasRole('finance')")
public class ParkedCreditController {

    private final ParkedCredits parkedCredits;

    public ParkedCreditController(ParkedCredits parkedCredits) {
        this.parkedCredits = parkedCredits;
    }

    /** How many credits are parked in all, and the oldest of them. */
    public record ParkedCreditList(long count, List<ParkedCredit> credits) {
    }

    @GetMapping("/parked-credits")
    @Operation(summary = "Credits parked because their wallet could not take them yet, oldest first; "
            + "each is retried automatically and applied exactly once")
    public ParkedCreditList parkedCredits(@RequestParam(required = false) Integer limit) {
        int size = Requests.pageSize(limit);
        return new ParkedCreditList(parkedCredits.count(), parkedCredits.list(size));
    }
}
