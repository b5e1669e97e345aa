/** Batching of projection writes and cursor pagination. */
package com.hongbao.ledger.projections.support;
