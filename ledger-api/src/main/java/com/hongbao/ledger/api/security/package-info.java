/** Bearer-token security: roles, callers, and demo tokens in the embedded mode. */
package com.hongbao.ledger.api.security;
