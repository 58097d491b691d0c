package io.leopard.server.query;

import io.leopard.server.merchant.Merchant;
import java.net.InetAddress;

/** The two request rates the pipeline asks (PROTOCOL §4.1, docs/DECISIONS.md "Limits"). */
public interface Limits {
    /** Takes one of the merchant's requests; {@code false} when it is over its rate. */
    boolean tryMerchant(Merchant merchant);

    /** Spends one of the address's failures; {@code false} when it had none left. */
    boolean chargeFailure(InetAddress address);
}
