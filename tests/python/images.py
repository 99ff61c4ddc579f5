"""Small real images built in Python for the upload tests (same shapes as tests/support/test_images.h):
a PNG with stored deflate blocks, a GIF, a baseline JPEG; helpers for metadata chunks."""
import struct
import zlib


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(w=4, h=4, extra=b"", declared=None) -> bytes:
    dw, dh = declared or (w, h)
    raw = b"".join(b"\x00" + b"\x80" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", dw, dh, 8, 0, 0, 0, 0)) + extra +
            png_chunk(b"IDAT", zlib.compress(raw)) + png_chunk(b"IEND", b""))


def gif(w=2, h=2, extra=b"") -> bytes:
    return (b"GIF89a" + struct.pack("<HH", w, h) + b"\x80\x00\x00" + b"\x00\x00\x00\xff\xff\xff" + extra +
            b"\x2c" + struct.pack("<HHHH", 0, 0, w, h) + b"\x00" + b"\x02\x02\x44\x01\x00" + b";")


def jpeg(w=8, h=8, extra=b"") -> bytes:
    def seg(marker, payload):
        return bytes([0xff, marker]) + struct.pack(">H", len(payload) + 2) + payload
    out = b"\xff\xd8" + seg(0xe0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00") + extra
    out += seg(0xdb, b"\x00" + b"\x01" * 64)
    out += seg(0xc0, b"\x08" + struct.pack(">HH", h, w) + b"\x01\x01\x11\x00")
    out += seg(0xc4, b"\x00\x01" + b"\x00" * 15 + b"\x00") + seg(0xc4, b"\x10\x01" + b"\x00" * 15 + b"\x00")
    out += seg(0xda, b"\x01\x01\x00\x00\x3f\x00")
    blocks = ((w + 7) // 8) * ((h + 7) // 8)
    return out + b"\x00" * ((blocks * 2 + 7) // 8) + b"\xff\xd9"


def multipart(fields=None, files=None, boundary="----clashtestboundary7MA4YWxk"):
    """(body, content_type) of a multipart/form-data form as a browser's FormData sends it.
    files: {name: (filename, content_type or None, bytes)}."""
    parts = []
    for name, value in (fields or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() +
                     value.encode() + b"\r\n")
    for name, (filename, ctype, data) in (files or {}).items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        if ctype:
            head += f"Content-Type: {ctype}\r\n"
        parts.append(head.encode() + b"\r\n" + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
