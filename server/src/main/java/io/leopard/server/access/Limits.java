package io.leopard.server.access;

import java.net.InetAddress;

/** The two request rates the query pipeline asks (PROTOCOL §4.1, docs/DECISIONS.md "Limits"). */
public interface Limits {
    /** Takes one of the merchant's requests, under its own policy's rate if it has one; {@code false} when it is over its rate. */
    boolean tryMerchant(String mid, AccessPolicy policy);

    /** Spends one of the address's failures; {@code false} when it had none left. */
    boolean chargeFailure(InetAddress address);
}
