package io.fabricstitch.benchmarks;

import io.fabricstitch.agent.datapath.TlsMaterial;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * What TLS alone costs per byte on this machine: the data path's own TLS contexts (TLS 1.3, the provider the data
 * path uses) encrypt on a client engine and decrypt on a server engine, record by record, in memory on one thread,
 * with no socket, no framing and no file. Its CPU seconds per GiB is the least a TLS upload adds to a DIRECT one
 * when one machine runs both ends; where both are CPU-bound, TLS can move at most
 * {@code direct / (direct + engine)} of DIRECT's bytes per second, {@code direct} being DIRECT's CPU per GiB.
 * <p>
 * Measured twice: with the engines writing into the same few buffers, which stay in the core's cache (the least TLS
 * costs), and with their output moving on through {@value #OUT_OF_CACHE_MIB} MiB of memory (ciphertext) and as much
 * again (plaintext), the size of the data path's pool chunks, so that every record lands in memory out of the core's
 * cache (the most). Inside the data path the engine writes into pooled buffers that are partly still in cache, and
 * costs between the two.
 */
public final class TlsEngineCost {
    private static final int GIB = 1 << 30;

    /** Plaintext bytes per TLS record. */
    private static final int RECORD = 16 << 10;

    /** Memory the engines' output moves through in the out-of-cache measurement, in MiB. */
    static final int OUT_OF_CACHE_MIB = 16;

    /**
     * TLS alone, in CPU seconds per GiB.
     *
     * @param inCache output into the same few buffers, held in the core's cache
     * @param outOfCache output moving on through {@value #OUT_OF_CACHE_MIB} MiB, every record out of cache
     */
    public record Cost(double inCache, double outOfCache) {
    }

    private TlsEngineCost() {
    }

    /**
     * Encrypts and decrypts {@code bytes} taken from {@code block} in full TLS records: once to warm up, then once into
     * buffers in cache and once through memory out of cache, on the same engines; returns the CPU seconds per GiB this
     * thread spent each time.
     */
    static Cost measure(TlsMaterial server, TlsMaterial client, byte[] block, long bytes) throws SSLException {
        SSLEngine s = server.serverContext().newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine c = client.clientContext().newEngine(ByteBufAllocator.DEFAULT);
        try {
            int packet = Math.max(s.getSession().getPacketBufferSize(), c.getSession().getPacketBufferSize());
            int app = Math.max(s.getSession().getApplicationBufferSize(), c.getSession().getApplicationBufferSize());
            handshake(c, s, ByteBuffer.allocateDirect(4 * packet), ByteBuffer.allocateDirect(4 * app));
            ByteBuffer src = ByteBuffer.allocateDirect(block.length).put(block).flip();
            Output net = new Output(0, 4 * packet);
            Output plain = new Output(0, 4 * app);
            run(c, s, src, net, plain, bytes);
            return new Cost(cpuPerGib(c, s, src, net, plain, bytes), cpuPerGib(c, s, src,
                new Output(OUT_OF_CACHE_MIB << 20, 4 * packet), new Output(OUT_OF_CACHE_MIB << 20, 4 * app), bytes));
        }
        finally {
            ReferenceCountUtil.release(s);
            ReferenceCountUtil.release(c);
        }
    }

    /** {@link #run}, timed: the CPU seconds per GiB this thread spent. */
    private static double cpuPerGib(SSLEngine c, SSLEngine s, ByteBuffer src, Output net, Output plain, long bytes)
        throws SSLException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        run(c, s, src, net, plain, bytes);
        return (threads.getCurrentThreadCpuTime() - cpu0) / 1e9 / (bytes / (double)GIB);
    }

    /** Moves {@code bytes} through the two engines in full records, each engine's output into its {@link Output}. */
    private static void run(SSLEngine c, SSLEngine s, ByteBuffer src, Output nets, Output plains, long bytes)
        throws SSLException {
        for (long done = 0; done < bytes;) {
            int pos = (int)(done % src.capacity());
            ByteBuffer in = src.duplicate().position(pos).limit(Math.min(src.capacity(), pos + RECORD));
            ByteBuffer net = nets.next();
            check(c.wrap(in, net));
            net.flip();
            nets.used(net.limit());
            ByteBuffer plain = plains.next();
            check(s.unwrap(net, plain));
            plains.used(plain.position());
            if (net.hasRemaining() || plain.position() != in.position() - pos)
                throw new IllegalStateException("TLS engine: a record did not come through whole");
            done += plain.position();
        }
    }

    /**
     * Direct memory an engine writes its output into: a slot of {@code slot} bytes at a time, each after the bytes
     * the last one took (on a cache line), from the start again where the next would not fit.
     */
    private static final class Output {
        private static final int LINE = 64;

        private final ByteBuffer memory;
        private final int slot;
        private int at;

        Output(int bytes, int slot) {
            memory = ByteBuffer.allocateDirect(Math.max(bytes, slot));
            this.slot = slot;
        }

        ByteBuffer next() {
            if (at + slot > memory.capacity())
                at = 0;
            return memory.duplicate().position(at).limit(at + slot).slice();
        }

        void used(int n) {
            at += (n + LINE - 1) & -LINE;
        }
    }

    /** Client and server hello, finished and the rest, until both engines are done. */
    private static void handshake(SSLEngine c, SSLEngine s, ByteBuffer net, ByteBuffer plain) throws SSLException {
        ByteBuffer empty = ByteBuffer.allocate(0);
        c.beginHandshake();
        s.beginHandshake();
        for (int i = 0; i < 100 && !(done(c) && done(s)); i++) {
            step(c, s, empty, net, plain);
            step(s, c, empty, net, plain);
        }
        if (!(done(c) && done(s)))
            throw new IllegalStateException("TLS engine: the handshake did not finish (client " + c.getHandshakeStatus()
                + ", server " + s.getHandshakeStatus() + ")");
    }

    private static void step(SSLEngine from, SSLEngine to, ByteBuffer empty, ByteBuffer net, ByteBuffer plain)
        throws SSLException {
        from.wrap(empty, net.clear());
        tasks(from);
        net.flip();
        while (net.hasRemaining()) {
            SSLEngineResult r = to.unwrap(net, plain.clear());
            tasks(to);
            if (r.bytesConsumed() == 0)
                break;
        }
    }

    private static void tasks(SSLEngine e) {
        for (Runnable t; (t = e.getDelegatedTask()) != null;)
            t.run();
    }

    private static boolean done(SSLEngine e) {
        SSLEngineResult.HandshakeStatus h = e.getHandshakeStatus();
        return h == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || h == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void check(SSLEngineResult r) {
        if (r.getStatus() != SSLEngineResult.Status.OK)
            throw new IllegalStateException("TLS engine: " + r);
    }
}
