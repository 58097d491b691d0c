package io.leopard.server.web;

import java.nio.file.Path;

/** HTTPS: its port, and the PKCS#12 keystore with the server's key and certificate chain. The password is never shown. */
public record TlsSettings(int port, Path keystore, String keystorePassword) {
    @Override
    public String toString() {
        return "TlsSettings[port=" + port + ", keystore=" + keystore + ", keystorePassword=********]";
    }
}
