package io.leopard.server.access;

/**
 * The default request rates: per merchant for requests whose signature passed (a merchant's own
 * policy may override them), and per client address for requests that fail before that.
 */
public record RateSettings(int perSecond, int burst, int addressPerSecond, int addressBurst) {
}
