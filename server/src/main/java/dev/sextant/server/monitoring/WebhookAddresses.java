package dev.sextant.server.monitoring;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which hosts alert webhooks may reach. Any project member may set a webhook, so by default it may
 * not point into the server's own network: loopback, link-local (cloud metadata at 169.254.169.254),
 * private and unique-local ranges, carrier-grade NAT, multicast and unspecified addresses are
 * refused, when the rule is saved and again before each delivery (the name may resolve
 * differently by then). {@code webhook-allow-private} lifts this for on-premises receivers.
 */
final class WebhookAddresses {
    private final boolean allowPrivate;

    WebhookAddresses(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * Why the URL's host may not be called, if it may not. A name that does not resolve now is
     * allowed (its deliveries fail and are recorded), so rules can be saved while offline.
     */
    Optional<String> refusal(URI url) {
        if (allowPrivate) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return Optional.of("webhook host " + url.getHost() + " is a loopback, link-local or private address ("
                        + address.getHostAddress() + "); set webhook-allow-private to allow it");
            }
        }
        return Optional.empty();
    }

    static boolean isInternal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            // 0.0.0.0/8 ("this network") and 100.64.0.0/10 (carrier-grade NAT).
            return first == 0 || (first == 100 && second >= 64 && second < 128);
        }
        if (address instanceof Inet6Address) {
            // fc00::/7: unique-local addresses, IPv6's private ranges.
            return (bytes[0] & 0xfe) == 0xfc;
        }
        return false;
    }
}
