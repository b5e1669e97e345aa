package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.id.UserId;
import com.hongbao.ledger.core.money.Money;

/**
 * What one grab attempt came to: a share ({@code refusal} null, {@code amount} and
 * {@code position} set), or a refusal by its stable code. A repeat grab by someone who already has
 * a share is refused with {@code already_grabbed} and carries the share they got.
 */
public record GrabOutcome(UserId grabber, String refusal, Money amount, int position) {

    public static GrabOutcome won(UserId grabber, Money amount, int position) {
        return new GrabOutcome(grabber, null, amount, position);
    }

    public static GrabOutcome refused(UserId grabber, String code) {
        return new GrabOutcome(grabber, code, null, -1);
    }

    public boolean won() {
        return refusal == null;
    }
}
