/** Brand campaigns: the end-of-campaign sweep. */
package com.hongbao.ledger.api.campaigns;
