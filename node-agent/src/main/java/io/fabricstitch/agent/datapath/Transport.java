package io.fabricstitch.agent.datapath;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The socket layer under the data path: Netty's native epoll transport where it loads (Linux x86-64, from
 * {@code netty-transport-native-epoll}), or the JDK's NIO everywhere else and when
 * {@link DataPathConfiguration#nativeTransport()} is off. Both speak the same bytes; epoll saves the JDK's selector
 * and its per-read bookkeeping. The choice is made once per server or client, and named in the server's start line.
 */
enum Transport {
    /** Netty's native epoll transport. */
    EPOLL,
    /** The JDK's NIO. */
    NIO;

    /** Epoll when asked for and available, else NIO. */
    static Transport choose(boolean nativeTransport) {
        return nativeTransport && epollAvailable() ? EPOLL : NIO;
    }

    /** Whether the native epoll transport loaded on this machine. */
    static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        }
        catch (LinkageError e) {
            return false; // the native jar is not on the class path
        }
    }

    /** Why epoll is not used, for the server's start line; empty when it is. */
    static String fallbackReason(boolean nativeTransport) {
        if (!nativeTransport)
            return "nativeTransport off";
        if (epollAvailable())
            return "";
        Throwable cause;
        try {
            cause = Epoll.unavailabilityCause();
        }
        catch (LinkageError e) {
            cause = e;
        }
        return "epoll unavailable: " + cause;
    }

    EventLoopGroup group(int threads, ThreadFactory f) {
        return this == EPOLL ? new EpollEventLoopGroup(threads, f) : new NioEventLoopGroup(threads, f);
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends SocketChannel> channel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
