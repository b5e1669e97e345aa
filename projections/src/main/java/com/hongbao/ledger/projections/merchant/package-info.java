/** The merchant read model and its queries. */
package com.hongbao.ledger.projections.merchant;
