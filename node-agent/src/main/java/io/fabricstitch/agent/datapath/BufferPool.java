package io.fabricstitch.agent.datapath;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The data path's direct-buffer pool, one per JVM, shared by its servers and clients. Netty's default pool cuts
 * 4 MiB chunks and destroys one as soon as it empties; reads of up to 1 MiB, 256 KiB frames and TLS's decrypted
 * buffers emptied and refilled such chunks over and over, and every new chunk is zeroed by the JDK (a twentieth of
 * a TLS upload's CPU). Chunks of 16 MiB hold a connection's reads and frames in flight with room to spare, so they
 * stay.
 */
final class BufferPool {
    /** Pages of 8 KiB, 2^11 of them: 16 MiB chunks. */
    private static final int PAGE_SIZE = 8192;

    private static final int MAX_ORDER = 11;

    /** The pool: one direct arena per core (Netty's default pool has two), heap buffers unpooled. */
    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true, 0,
        Math.max(1, Runtime.getRuntime().availableProcessors()), PAGE_SIZE, MAX_ORDER,
        PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
        true);

    private BufferPool() {
    }
}
