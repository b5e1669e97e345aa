/** Merchant statements: line items per business day, day totals, settlements, and the CSV bill. */
package com.hongbao.ledger.projections.statement;
