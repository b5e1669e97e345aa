package com.hongbao.ledger.projections.support;

import java.time.Instant;
import java.util.Objects;

/**
 * Something due at an instant: when it fell due, the key that orders it among entries due at the
 * same instant (unique in its list), and the id a sweep acts on (often the key itself). Lists of
 * what is due are ordered by {@code (at, key)} and paged by keyset from the last entry seen, so a
 * sweep that acts on a page (and so removes it from what is due) skips nothing behind it.
 */
public record Due(Instant at, String key, String id) {

    public Due {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(id, "id");
    }
}
