package com.hongbao.ledger.api.idempotency;

import com.hongbao.ledger.core.id.MerchantId;
import com.hongbao.ledger.core.id.WalletId;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The response body of a command's result. Results are the domain's receipts, serialised as they
 * are; an aggregate-creating command returns only the new id, which is wrapped in an object.
 * The same function renders the first response and the one stored for repeats, so both are
 * byte-identical.
 */
public final class ResponseShapes {

    private ResponseShapes() {
    }

    public static String body(JsonMapper jsonMapper, Object result) {
        Object shaped = switch (result) {
            case WalletId walletId -> Map.of("walletId", walletId.value());
            case MerchantId merchantId -> Map.of("merchantId", merchantId.value());
            case null -> Map.of();
            default -> result;
        };
        return jsonMapper.writeValueAsString(shaped);
    }
}
