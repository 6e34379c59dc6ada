package dev.rotor.orchestrator.audit;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The HTTP peer of a request, as the audit log records it. Behind a reverse proxy this is the proxy, unless Quarkus is
 * told to trust its forwarding headers ({@code quarkus.http.proxy.proxy-address-forwarding=true}).
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    /** The peer's IP address, or null when there is no request or no address (a test's in-process call). */
    public static String of(HttpServerRequest request) {
        if (request == null) {
            return null;
        }
        SocketAddress peer = request.remoteAddress();
        if (peer == null) {
            return null;
        }
        return peer.hostAddress() != null ? peer.hostAddress() : peer.host();
    }
}
