/** The red-packet read model: packets, their members and the shares taken; the expiry sweep's work list. */
package com.hongbao.ledger.projections.packet;
