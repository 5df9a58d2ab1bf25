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

    /**
     * Direct arenas: one per core up to four. An arena in use keeps at least one chunk for good, so the pool holds
     * 16 to 64 MiB of direct memory once transfers ran.
     */
    private static final int ARENAS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /** The pool: {@link #ARENAS} direct arenas of 16 MiB chunks; heap buffers unpooled. */
    static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true, 0, ARENAS, PAGE_SIZE, MAX_ORDER,
        PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
        true);

    private BufferPool() {
    }
}
