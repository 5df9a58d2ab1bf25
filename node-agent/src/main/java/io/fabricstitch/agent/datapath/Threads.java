package io.fabricstitch.agent.datapath;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The event-loop groups of the data path: daemon threads with readable names, and a quick shutdown. */
final class Threads {
    private Threads() {
    }

    /**
     * @param transport epoll or NIO event loops
     * @param name the thread name; with more than one thread, {@code -1}, {@code -2}... is appended
     */
    static EventLoopGroup group(Transport transport, int threads, String name) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory f = r -> {
            Thread t = new FastThreadLocalThread(r, threads == 1 ? name : name + '-' + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return transport.group(threads, f);
    }

    /** Shuts {@code g} down with no quiet period and waits (a few seconds at most) for its threads to end. */
    static void shutdown(EventLoopGroup g) {
        var terminated = g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        if (!g.next().inEventLoop())
            terminated.awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
