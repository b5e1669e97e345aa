/** Idempotency keys claimed in the event store, and replay of first responses. */
package com.hongbao.ledger.api.idempotency;
