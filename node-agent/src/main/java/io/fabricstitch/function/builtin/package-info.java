/**
 * The built-in acceleration functions: {@code sha256}, {@code deflate}, {@code image.gaussian-blur} and
 * {@code matmul.f32}. Each is implemented for the CPU only; declared fabrics of other types run these.
 * <p>
 * Uses: function and model only.
 */
package io.fabricstitch.function.builtin;
