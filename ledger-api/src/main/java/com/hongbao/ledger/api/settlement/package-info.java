/** T+1 settlement: the schedule that pays merchants each closed day's net. */
package com.hongbao.ledger.api.settlement;
