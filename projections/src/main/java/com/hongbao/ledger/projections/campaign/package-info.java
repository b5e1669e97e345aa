/** The campaign read model: campaigns, the packets they issued, and the campaign report. */
package com.hongbao.ledger.projections.campaign;
