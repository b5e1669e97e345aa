/**
 * Money on its way into a wallet: the credit processors' commands, each decided in its own unit of
 * work and transaction on the wallet's current state; Axon's dead-letter queue on JDBC, sequenced by
 * target wallet, that parks a credit which cannot be applied now and retries it; what finance and the
 * metrics see of parked credits and of money aged in clearing. See ADR 0016.
 */
package com.hongbao.ledger.api.credits;
