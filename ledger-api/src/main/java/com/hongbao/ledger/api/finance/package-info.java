/** Finance's checks that span the journal and the aggregates: reconciliation. */
package com.hongbao.ledger.api.finance;
