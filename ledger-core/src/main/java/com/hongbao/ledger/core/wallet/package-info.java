/** Users' wallets: opening, top-ups, withdrawals and paying merchants from the available balance. */
package com.hongbao.ledger.core.wallet;
