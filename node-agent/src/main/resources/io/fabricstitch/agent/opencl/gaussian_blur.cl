// image.gaussian-blur as docs/functions.md defines it, in two passes over a strip of rows.
// Every sum is the Java implementation's: acc = 0.0f, then acc = acc + w[t] * v for t = 0..8 in order, in float,
// with contraction off, so the output bytes equal the Java blur's (no fused multiply-add, no reassociation).
#pragma OPENCL FP_CONTRACT OFF

#define RADIUS 4
#define TAPS 9

// Horizontal pass over `rows` rows of packed ARGB pixels (as BufferedImage.getRGB returns them), channels A, R, G, B
// in the float4's x, y, z, w; edges clamped to the image's width.
__kernel void blur_rows(__global const uint* src, __global float4* tmp, __constant float* w, const int width,
                        const int rows) {
    const int x = get_global_id(0);
    const int r = get_global_id(1);
    if (x >= width || r >= rows)
        return;
    __global const uint* row = src + (size_t)r * width;
    float4 acc = (float4)(0.0f, 0.0f, 0.0f, 0.0f);
    for (int i = -RADIUS; i <= RADIUS; i++) {
        const uint p = row[clamp(x + i, 0, width - 1)];
        const float4 v = (float4)((float)((p >> 24) & 0xFFu), (float)((p >> 16) & 0xFFu),
                                  (float)((p >> 8) & 0xFFu), (float)(p & 0xFFu));
        acc = acc + w[i + RADIUS] * v;
    }
    tmp[(size_t)r * width + x] = acc;
}

// Vertical pass: output rows first_row .. first_row + rows - 1 of an image `height` rows high, from the horizontal
// results of image rows tmp_first_row onwards; edges clamped to the image (not the strip). Rounds half up and clamps
// to 0..255 as the Java implementation does.
__kernel void blur_cols(__global const float4* tmp, __global uint* dst, __constant float* w, const int width,
                        const int height, const int tmp_first_row, const int first_row, const int rows) {
    const int x = get_global_id(0);
    const int r = get_global_id(1);
    if (x >= width || r >= rows)
        return;
    const int y = first_row + r;
    float4 acc = (float4)(0.0f, 0.0f, 0.0f, 0.0f);
    for (int t = 0; t < TAPS; t++) {
        const int yy = clamp(y + t - RADIUS, 0, height - 1);
        acc = acc + w[t] * tmp[(size_t)(yy - tmp_first_row) * width + x];
    }
    const int4 v = clamp(convert_int4_rtz(floor(acc + 0.5f)), 0, 255);
    dst[(size_t)r * width + x] = ((uint)v.x << 24) | ((uint)v.y << 16) | ((uint)v.z << 8) | (uint)v.w;
}
