#!/usr/bin/env python3
"""Decode Firefox mozLz4 files (stdlib only): mozlz4.py FILE > FILE.json

Format: magic b"mozLz40\\0", u32 little-endian decompressed size, then one
LZ4 *block* (no frame header).
"""
import struct
import sys


def lz4_block_decompress(src, size):
    dst = bytearray()
    i = 0
    n = len(src)
    while i < n:
        token = src[i]
        i += 1
        lit = token >> 4
        if lit == 15:
            while True:
                b = src[i]
                i += 1
                lit += b
                if b != 255:
                    break
        dst += src[i:i + lit]
        i += lit
        if i >= n:  # last sequence has literals only
            break
        off = src[i] | (src[i + 1] << 8)
        i += 2
        mlen = token & 15
        if mlen == 15:
            while True:
                b = src[i]
                i += 1
                mlen += b
                if b != 255:
                    break
        mlen += 4
        start = len(dst) - off
        if off <= 0 or start < 0:
            raise ValueError("corrupt LZ4 block")
        for k in range(mlen):  # byte by byte: matches may overlap
            dst.append(dst[start + k])
    if len(dst) != size:
        raise ValueError(f"size mismatch: {len(dst)} != {size}")
    return bytes(dst)


def read_mozlz4(path):
    data = open(path, "rb").read()
    if data[:8] != b"mozLz40\0":
        raise ValueError(f"{path}: not a mozLz4 file")
    (size,) = struct.unpack("<I", data[8:12])
    return lz4_block_decompress(data[12:], size)


if __name__ == "__main__":
    sys.stdout.buffer.write(read_mozlz4(sys.argv[1]))
