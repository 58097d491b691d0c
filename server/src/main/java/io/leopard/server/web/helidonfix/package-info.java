/**
 * Workarounds for Helidon 4.5.0, isolated here so that they can go when Helidon no longer needs
 * them; {@code HelidonWorkaroundsStillNeededTest} shows each bug on a bare Helidon server and fails
 * once an upgrade fixes it.
 *
 * <ul>
 *   <li><b>HTTP/1.0</b>: Helidon refuses it (a 500 "HTTP 1.0 is not supported" with a logged stack
 *       trace; upstream decided to keep refusing, helidon-io/helidon#9648, and #9604 is the nginx
 *       report), yet it is what nginx speaks to its upstreams unless told otherwise
 *       ({@code proxy_http_version}) and what PHP's http stream wrapper sends by default. Its
 *       request line is handed to Helidon's HTTP/1 handling as HTTP/1.1 with
 *       {@code Connection: close}, without HTTP/1.1's required Host header.</li>
 *   <li><b>{@code Connection: close}</b>: after answering such a request Helidon keeps the socket
 *       open (helidon-io/helidon#12324), so a client that reads to the end waits for its own
 *       timeout. Requests that ask for it, and answers that say it, are recognised here; the
 *       connection guard then ends the connection after that answer.</li>
 * </ul>
 */
package io.leopard.server.web.helidonfix;
