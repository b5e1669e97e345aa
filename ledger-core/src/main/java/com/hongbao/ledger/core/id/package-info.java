/** Typed ids. Aggregates refer to each other by these ids only. */
package com.hongbao.ledger.core.id;
