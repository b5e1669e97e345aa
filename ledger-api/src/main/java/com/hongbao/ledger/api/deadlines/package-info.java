/** Deadlines kept by sweeping read models for what is due: authorisation expiry, packet expiry, campaign ends. */
package com.hongbao.ledger.api.deadlines;
