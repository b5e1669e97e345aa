package com.hongbao.ledger.projections.support;

import java.time.Instant;
import java.util.Objects;

/**
 * Something due at an instant: its id and when it fell due. Lists of what is due are ordered by
 * {@code (at, id)} and paged by keyset from the last entry seen, so a sweep that acts on a page
 * (and so removes it from what is due) skips nothing behind it.
 */
public record Due(Instant at, String id) {

    public Due {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(id, "id");
    }
}
