#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into dev/fuzz/corpus/: well-formed frames and messages built by hand from
docs/PROTOCOL.md, the three seed filings of the parser tests, and search-grammar examples. Never edgar-* files."""
import os, shutil, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
out = os.path.join(here, "corpus")

def varint(n):
    b = bytearray()
    while True:
        if n < 0x80:
            b.append(n)
            return bytes(b)
        b.append(n & 0x7F | 0x80)
        n >>= 7

def field(number, value):
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    if isinstance(value, str):
        value = value.encode()
    return varint(number << 3 | 2) + varint(len(value)) + value

PREFACE = b"FILINGS\x01"
def frame(kind, call_id, payload, flags=0):
    return struct.pack(">IBBI", len(payload), kind, flags, call_id) + payload

def request(call_id, method, message=b"", timeout=0, metadata=()):
    header = field(1, "/filings.v1.Filings/" + method)
    if timeout:
        header += field(2, timeout)
    for key, value in metadata:
        header += field(3, field(1, key) + field(2, value))
    return frame(1, call_id, struct.pack(">I", len(header)) + header + message)

seed_text = open(sorted(
    os.path.join(root, "Tests/FilingsParserTests/Fixtures", f)
    for f in os.listdir(os.path.join(root, "Tests/FilingsParserTests/Fixtures")) if f.endswith(".txt"))[0], "rb").read()
small = seed_text[:2000]
messages = {
    "Parse": field(1, small) + field(2, "a.txt"),
    "Store": field(1, field(1, small) + field(2, "a.txt")) + field(1, field(1, b"second") + field(2, "b.txt")),
    "Query": field(1, 'merger "definitive agreement" acqui* -terminated') + field(2, "Acme") + field(3, "ACME")
    + field(9, 20),
    "Get": field(1, "0123456789abcdef0123") + field(2, 1),
    "Delete": field(1, "0123456789abcdef0123"),
    "Reparse": field(1, "filings-parser/1.1.0") + field(2, 100) + field(3, "0123456789abcdef0123"),
    "Stats": b"",
    "Health": field(1, "filings.v1.Filings"),
}
# In the schema's order: a fuzz-messages seed's first byte selects the method by its index (FuzzChecks.messages).
methods = ["Parse", "Store", "Query", "Get", "Delete", "Reparse", "Stats", "Health"]

def write(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)

shutil.rmtree(out, ignore_errors=True)
# fuzz-frames: chunk-size byte, preface, frames.
for i, method in enumerate(methods):
    write("fuzz-frames", f"request-{method.lower()}", bytes([0xFF]) + PREFACE + request(1, method, messages[method]))
write("fuzz-frames", "many-calls", bytes([3]) + PREFACE + b"".join(
    request(i + 1, m, messages[m], timeout=5000, metadata=[("x-request-id", f"r{i}")]) for i, m in enumerate(methods)))
write("fuzz-frames", "cancel-ping", bytes([7]) + PREFACE + request(1, "Health") + frame(3, 1, b"")
      + frame(4, 0, b"12345678") + frame(4, 0, b"12345678", flags=1))
write("fuzz-frames", "goaway-unknown", bytes([0]) + PREFACE + frame(5, 0, field(1, 3) + field(2, 8) + field(3, "bye"))
      + frame(9, 0, b"skipped"))
write("fuzz-frames", "oversize", bytes([1]) + PREFACE + b"\xff\xff\xff\xff\x01\x00\x00\x00\x00\x01")
write("fuzz-frames", "bad-header", bytes([5]) + PREFACE + frame(1, 1, b"\x00\x00\x00\x09\x0a\x07/x/Y") + frame(1, 2, b"\x01"))
# fuzz-messages: selector byte, message.
for i, method in enumerate(methods):
    write("fuzz-messages", f"{method.lower()}-request", bytes([i]) + messages[method])
n = len(methods)
write("fuzz-messages", "request-header", bytes([n]) + field(1, "/filings.v1.Filings/Query") + field(2, 1000)
      + field(3, field(1, "authorization") + field(2, "Bearer t")))
write("fuzz-messages", "response-header", bytes([n + 1]) + field(1, 5) + field(2, "no filing has id x"))
write("fuzz-messages", "goaway", bytes([n + 2]) + field(1, 7) + field(2, 0) + field(3, "the server is shutting down"))
write("fuzz-messages", "parsed-filing", bytes([n + 3]) + field(1, "f" * 64) + field(6, field(1, "EX-99.1") + field(2, 1)
      + field(3, "ex99.txt")))
# fuzz-parser: the seed filings (ours to commit) and pieces of them.
for f in sorted(os.listdir(os.path.join(root, "Tests/FilingsParserTests/Fixtures"))):
    if f.endswith(".txt"):
        data = open(os.path.join(root, "Tests/FilingsParserTests/Fixtures", f), "rb").read()
        write("fuzz-parser", f, data)
        write("fuzz-parser", f + ".head", data[:4096])
# Labels after characters whose case mapping is longer than they are ("İ" in lower case, "ΐ" in upper case): a range
# found in the mapped line once indexed the line itself, past its end.
write("fuzz-parser", "case-length-cover", ("<DOCUMENT>\n<TYPE>10-K\n<TEXT>\nFORM 10-K\n\n" + "\u0130" * 60
      + " HOLDING   (Exact name of registrant as specified in its charter)\n</TEXT>\n</DOCUMENT>\n").encode())
write("fuzz-parser", "case-length-12b25", ("<DOCUMENT>\n<TYPE>NT 10-Q\n<TEXT>\nFORM 12b-25\nNOTIFICATION OF LATE FILING\n"
      + "[X] Form 10-Q\n" + "\u0390" * 40 + " For Period Ended: June 30, 2004\n\nPART I -- REGISTRANT INFORMATION\n"
      + "</TEXT>\n</DOCUMENT>\n").encode())
# fuzz-search: the grammar's accepted and refused forms.
for i, q in enumerate(['merger', '"definitive agreement"', 'acqui*', 'sales OR revenue -loss', 'a OR', '"unclosed',
                       '*', '-only', 'AT&T', 'caf\u00e9 na\u00efve', 'NEAR(a b)', 'a AND b NOT c', "x" * 300]):
    write("fuzz-search", f"query-{i:02d}", q.encode())
print("seeds written to", out)
