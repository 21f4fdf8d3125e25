#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/// deflateInit2 is a macro (it passes the library version and the stream's size): Swift cannot call it.
/// windowBits 15 + 16: a gzip wrapper (RFC 1952) around the deflate stream.
static inline int czlib_gzip_init(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
/// inflateInit2 with windowBits 15 + 16: reads a gzip stream only (tests check what the server sent).
static inline int czlib_gunzip_init(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
#endif
