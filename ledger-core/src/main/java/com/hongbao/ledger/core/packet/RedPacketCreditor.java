package com.hongbao.ledger.core.packet;

import com.hongbao.ledger.core.CreditDispatch;
import com.hongbao.ledger.core.campaign.CampaignCommand.ReturnCampaignPacket;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketExpired;
import com.hongbao.ledger.core.packet.RedPacketEvent.RedPacketGrabbed;
import com.hongbao.ledger.core.wallet.WalletCommand.ReceiveFromRedPacket;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/**
 * Moves money out of a packet's escrow to where it is owed: each grabbed share to its grabber's
 * wallet, and the unclaimed rest of an expired packet back to the sender's wallet or to the
 * campaign that issued it. It runs at least once
 * per event from the event store; the wallet ignores a credit it already has, so redelivery never
 * pays twice. (The API also sends the grabber's credit straight after a grab, so the share is
 * spendable at once; whichever arrives second changes nothing.)
 */
@ProcessingGroup(RedPacketCreditor.PROCESSING_GROUP)
public class RedPacketCreditor {

    public static final String PROCESSING_GROUP = "red-packet-credits";

    private final CreditDispatch credits;

    public RedPacketCreditor(CommandGateway commandGateway) {
        this(CreditDispatch.through(commandGateway));
    }

    public RedPacketCreditor(CreditDispatch credits) {
        this.credits = credits;
    }

    @EventHandler
    void on(RedPacketGrabbed event) {
        credits.send(
                new ReceiveFromRedPacket(event.grabberWallet(), event.packetId(), event.amount(), false, event.at()));
    }

    @EventHandler
    void on(RedPacketExpired event) {
        if (event.campaignId() != null) {
            credits.send(
                    new ReturnCampaignPacket(event.campaignId(), event.packetId(), event.refund(), event.at()));
        } else {
            credits.send(
                    new ReceiveFromRedPacket(event.senderWallet(), event.packetId(), event.refund(), true, event.at()));
        }
    }
}
