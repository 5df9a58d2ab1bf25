package io.fabricstitch.agent.net;

import io.fabricstitch.internal.RateLimitedWarning;
import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Sends beacons through one channel (the unicast one, so every datagram's source is our unicast endpoint) and counts
 * those sent. A delayed send is scheduled on the channel's event loop. A failed send is logged at DEBUG, with at most
 * one WARNING a minute.
 */
final class ChannelSender implements BeaconSender {
    private static final System.Logger LOG = System.getLogger(ChannelSender.class.getName());

    private final String name;
    private final NetworkCounters counters;
    private final LongSupplier nanoTime;
    private final RateLimitedWarning failures = new RateLimitedWarning();
    private volatile Channel channel;

    /**
     * @param name how log lines name the network, e.g. {@code agent network n1}
     */
    ChannelSender(String name, NetworkCounters counters, LongSupplier nanoTime) {
        this.name = name;
        this.counters = counters;
        this.nanoTime = nanoTime;
    }

    /** Sends through {@code channel} from now on. */
    void channel(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(BeaconMessage message, InetSocketAddress recipient, long delayNanos) {
        Channel ch = channel;
        if (ch == null || !ch.isActive())
            return;
        if (delayNanos <= 0)
            write(ch, message, recipient);
        else {
            try {
                ch.eventLoop().schedule(() -> write(ch, message, recipient), delayNanos, TimeUnit.NANOSECONDS);
            }
            catch (RejectedExecutionException e) {
                // The network is closing.
            }
        }
    }

    private void write(Channel ch, BeaconMessage message, InetSocketAddress recipient) {
        ch.writeAndFlush(new OutgoingBeacon(message, recipient)).addListener(f -> {
            if (f.isSuccess())
                sent(message);
            else if (ch.isOpen())
                failed(message, recipient, f.cause());
        });
    }

    private void sent(BeaconMessage message) {
        if (message.type() == BeaconType.ANNOUNCE)
            counters.beaconSent();
        else if (message.type() == BeaconType.PING)
            counters.pingSent();
    }

    private void failed(BeaconMessage message, InetSocketAddress to, Throwable cause) {
        String what = message.type() + " to " + to.getHostString() + ':' + to.getPort() + ": " + cause;
        LOG.log(Level.DEBUG, () -> name + ": could not send " + what);
        failures.record(what, nanoTime.getAsLong(), (count, last) -> LOG.log(Level.WARNING, name + ": could not send "
            + count + " beacon datagram(s) in the last minute, last " + last));
    }
}
