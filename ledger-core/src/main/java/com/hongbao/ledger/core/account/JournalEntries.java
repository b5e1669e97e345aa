package com.hongbao.ledger.core.account;

import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks on the postings of a journal entry. */
public final class JournalEntries {

    private JournalEntries() {
    }

    /** Fails loudly unless the postings sum to zero in every currency they use. */
    public static List<Posting> requireBalanced(List<Posting> postings) {
        Map<Currency, Long> sums = new HashMap<>();
        for (Posting posting : postings) {
            sums.merge(posting.amount().currency(), posting.amount().minor(), Math::addExact);
        }
        sums.forEach((currency, sum) -> {
            if (sum != 0) {
                throw new IllegalStateException("unbalanced postings in " + currency + ": " + postings);
            }
        });
        return List.copyOf(postings);
    }
}
