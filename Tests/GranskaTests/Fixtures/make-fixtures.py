#!/usr/bin/env python3
"""Rebuilds the small PDF fixtures of the test suite.

image-only.pdf: one page holding only an image (no text layer).
encrypted.pdf:  a one-word text PDF encrypted with AES-256 (needs `qpdf`).
"""
import os
import subprocess
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def pdf(objects):
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"

image = zlib.compress(bytes([128]) * 2500)
with open(os.path.join(HERE, "image-only.pdf"), "wb") as f:
    f.write(pdf([
        catalog, pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
        b" /Resources << /XObject << /Im1 5 0 R >> >> >>",
        stream(b"", b"q 200 0 0 200 0 0 cm /Im1 Do Q"),
        stream(b"/Type /XObject /Subtype /Image /Width 50 /Height 50 /ColorSpace /DeviceGray"
               b" /BitsPerComponent 8 /Filter /FlateDecode", image),
    ]))

plain = pdf([
    catalog, pages,
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
    b" /Resources << /Font << /F1 5 0 R >> >> >>",
    stream(b"", b"BT /F1 12 Tf 20 100 Td (Granskning) Tj ET"),
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
])
with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
    tmp.write(plain)
    tmp.flush()
    subprocess.run(["qpdf", "--encrypt", "secret", "secret", "256", "--", tmp.name,
                    os.path.join(HERE, "encrypted.pdf")], check=True)
