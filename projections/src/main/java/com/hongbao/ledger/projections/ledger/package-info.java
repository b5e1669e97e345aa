/** The journal of postings and the account balances derived from it, with finance's queries. */
package com.hongbao.ledger.projections.ledger;
