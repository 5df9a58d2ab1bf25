package io.fabricstitch.agent.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Binds the two IPv4 datagram channels of an {@link AgentNetwork}: the unicast one (which also sends multicast) and
 * the one joined to the multicast group. Fails with an {@link IllegalStateException} naming what could not be bound.
 */
final class DatagramBinder {
    private static final ChannelFactory<NioDatagramChannel> IPV4 =
        () -> new NioDatagramChannel(InternetProtocolFamily.IPv4);

    private final String name;
    private final EventLoopGroup group;
    private final NetworkConfiguration cfg;

    /**
     * @param name how messages name the network, e.g. {@code agent network n1}
     */
    DatagramBinder(String name, EventLoopGroup group, NetworkConfiguration cfg) {
        this.name = name;
        this.group = group;
        this.cfg = cfg;
    }

    /**
     * Binds the first free port of {@code unicastPort..unicastPort+unicastPortRange-1} on {@code bindAddress}.
     *
     * @param multicastInterface where announcements to the group go out; null when multicast is disabled
     */
    Channel bindUnicast(InetAddress bindAddress, NetworkInterface multicastInterface, ChannelHandler init) {
        Bootstrap b = bootstrap(init);
        if (multicastInterface != null) {
            b.option(ChannelOption.IP_MULTICAST_IF, multicastInterface)
                .option(ChannelOption.IP_MULTICAST_TTL, cfg.ttl())
                .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false);
        }
        int first = cfg.unicastPort();
        int last = first + cfg.unicastPortRange() - 1;
        Throwable failure = null;
        boolean allInUse = true;
        for (int port = first; port <= last; port++) {
            ChannelFuture f = b.bind(new InetSocketAddress(bindAddress, port)).awaitUninterruptibly();
            if (f.isSuccess())
                return f.channel();
            failure = f.cause();
            allInUse &= inUse(failure);
        }
        String ports = "UDP " + bindAddress.getHostAddress() + ':' + first + (last > first ? ".." + last : "");
        if (allInUse)
            throw new IllegalStateException(name + ": " + ports + (last > first ? " all in use" : " in use")
                + " (expected: a free port in network.agentPort..network.agentPort+network.agentPortRange-1, or "
                + "network.agentPort 0)");
        throw new IllegalStateException(name + ": " + ports + " could not be bound: " + failure
            + " (expected: bindHost naming an address of this host, or 0.0.0.0)", failure);
    }

    /** Binds {@code 0.0.0.0:multicastPort} with SO_REUSEADDR and joins {@code groupAddress} on {@code nif}. */
    DatagramChannel bindMulticast(InetAddress groupAddress, NetworkInterface nif, ChannelHandler init) {
        InetSocketAddress any = new InetSocketAddress(anyIpv4(), cfg.multicastPort());
        ChannelFuture f = bootstrap(init).option(ChannelOption.SO_REUSEADDR, true).bind(any).awaitUninterruptibly();
        if (!f.isSuccess())
            throw new IllegalStateException(name + ": UDP 0.0.0.0:" + cfg.multicastPort() + " (multicast) could not "
                + "be bound: " + f.cause() + " (expected: a multicastPort every agent of the host binds with "
                + "SO_REUSEADDR)", f.cause());
        DatagramChannel ch = (DatagramChannel)f.channel();
        ChannelFuture join = ch.joinGroup(new InetSocketAddress(groupAddress, cfg.multicastPort()), nif)
            .awaitUninterruptibly();
        if (!join.isSuccess()) {
            ch.close().awaitUninterruptibly();
            throw new IllegalStateException(name + ": multicast group " + groupAddress.getHostAddress()
                + " could not be joined on " + nif.getName() + ": " + join.cause() + " (expected: an interface that "
                + "is up and carries multicast; else set interfaceName, or multicastEnabled false with seeds)",
                join.cause());
        }
        return ch;
    }

    private Bootstrap bootstrap(ChannelHandler init) {
        return new Bootstrap().group(group).channelFactory(IPV4).handler(init);
    }

    private static InetAddress anyIpv4() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        }
        catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are an IPv4 address", e);
        }
    }

    private static boolean inUse(Throwable t) {
        return t instanceof BindException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("in use");
    }
}
