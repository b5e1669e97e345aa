/** The schedule that keeps instalment plans moving: collections, overdue marks, late fees and defaults. */
package com.hongbao.ledger.api.bnpl;
