/** Payment processes that run in the application: the authorisation expiry sweep. */
package com.hongbao.ledger.api.payments;
