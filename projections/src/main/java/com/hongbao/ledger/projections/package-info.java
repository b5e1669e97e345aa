/**
 * Read models: PostgreSQL tables written by one processing group each, idempotent and
 * rebuildable by replay, and the queries the API serves from them. This module knows the
 * domain's event types and nothing of HTTP.
 */
package com.hongbao.ledger.projections;
