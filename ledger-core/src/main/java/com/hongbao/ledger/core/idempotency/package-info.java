/** Idempotency keys as aggregates in the event store. */
package com.hongbao.ledger.core.idempotency;
