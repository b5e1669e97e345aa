/** REST controllers, request validation and RFC 9457 problem details. */
package com.hongbao.ledger.api.web;
