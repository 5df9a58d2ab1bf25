// matmul.f32 as docs/functions.md defines it: C = A * B, each C[i][j] accumulated in float over p = 0 .. k-1 in
// order (acc = acc + a * b, contraction off), so it equals the Java i-p-j loop's on devices that honour the pragma.
// Tiles of TILE x TILE (a build option) through local memory; rows first_row .. first_row + rows - 1 of C.
#pragma OPENCL FP_CONTRACT OFF

#ifndef TILE
#define TILE 16
#endif

__kernel void matmul(__global const float* a, __global const float* b, __global float* c, const int rows,
                     const int k, const int n) {
    const int j = get_global_id(0);
    const int i = get_global_id(1);
    const int lj = get_local_id(0);
    const int li = get_local_id(1);
    __local float as[TILE][TILE];
    __local float bs[TILE][TILE];
    float acc = 0.0f;
    for (int p0 = 0; p0 < k; p0 += TILE) {
        as[li][lj] = (i < rows && p0 + lj < k) ? a[(size_t)i * k + p0 + lj] : 0.0f;
        bs[li][lj] = (p0 + li < k && j < n) ? b[(size_t)(p0 + li) * n + j] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        const int limit = min(TILE, k - p0);
        for (int q = 0; q < limit; q++)
            acc = acc + as[li][q] * bs[q][lj];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (i < rows && j < n)
        c[(size_t)i * n + j] = acc;
}
