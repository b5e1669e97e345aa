package com.hongbao.ledger.projections.support;

import java.util.List;

/** One page of a listing, newest first, and the cursor of the next page (null on the last). */
public record Page<T>(List<T> items, String nextCursor) {
}
