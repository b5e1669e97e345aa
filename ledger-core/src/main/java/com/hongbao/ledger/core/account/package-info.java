/**
 * Double-entry accounting: typed accounts, postings and the rule that every movement's postings
 * sum to zero per currency.
 */
package com.hongbao.ledger.core.account;
