#!/usr/bin/env python3
"""Connection storm against a filings-server on loopback (bounded in count and time; it stops by itself).

Opens IDLE connections that send the preface and nothing more, SLOW slow-loris connections that send the preface,
then a REQUEST frame one byte every DRIP seconds, and EXTRA connections past --max-connections. Checks what
docs/PROTOCOL.md promises for each and prints one line per check; exits 1 when one fails.
  idle: stay open (until the idle timeout, longer than the storm), answered with the server's preface
  slow: GOAWAY DEADLINE_EXCEEDED (code 4) once the frame timeout passes, then closed
  extra: the preface, then GOAWAY RESOURCE_EXHAUSTED (code 8) with last_call_id 0, then closed
"""
import argparse, selectors, socket, struct, sys, time

PREFACE = b"FILINGS\x01"
HEALTH = b"\x0a\x1a/filings.v1.Filings/Health"
REQUEST = struct.pack(">IBBI", 4 + len(HEALTH), 1, 0, 1) + struct.pack(">I", len(HEALTH)) + HEALTH


def connect(host, port):
    s = socket.create_connection((host, port), timeout=5)
    s.setblocking(False)
    return s


def read_all(s):
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except BlockingIOError:
            return data, False
        except ConnectionError:
            return data, True
        if not chunk:
            return data, True
        data += chunk


def goaway_code(data):
    """The code of the first GOAWAY frame after the preface, or None."""
    if not data.startswith(PREFACE):
        return None
    rest = data[len(PREFACE):]
    while len(rest) >= 10:
        length, kind = struct.unpack(">IB", rest[:5])
        payload = rest[10:10 + length]
        if kind == 5:
            code, i = 0, 0
            while i < len(payload):  # GoAway: last_call_id = 1, code = 2, message = 3
                key = payload[i]; i += 1
                if key & 7 == 0:
                    value, shift = 0, 0
                    while True:
                        b = payload[i]; i += 1
                        value |= (b & 0x7F) << shift; shift += 7
                        if b < 0x80: break
                    if key >> 3 == 2: code = value
                elif key & 7 == 2:
                    n = payload[i]; i += 1 + n
                else:
                    break
            return code
        rest = rest[10 + length:]
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", required=True)
    p.add_argument("--idle", type=int, default=1000)
    p.add_argument("--slow", type=int, default=100)
    p.add_argument("--extra", type=int, default=10)
    p.add_argument("--extra-after", type=float, default=5.0, help="seconds before the extra connections knock")
    p.add_argument("--drip", type=float, default=3.0)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--frame-timeout", type=float, default=10.0)
    a = p.parse_args()
    host, port = a.addr.rsplit(":", 1)
    port = int(port)

    idle = [connect(host, port) for _ in range(a.idle)]
    for s in idle:
        s.sendall(PREFACE)
    slow = [connect(host, port) for _ in range(a.slow)]
    for s in slow:
        s.sendall(PREFACE)
    print(f"storm: {len(idle)} idle, {len(slow)} slow-loris; {a.extra} over the limit after {a.extra_after} s",
          flush=True)
    extra = []
    received = {id(s): b"" for s in idle + slow}
    closed = {id(s): False for s in idle + slow}
    sent = {id(s): 0 for s in slow}
    start = time.monotonic()
    next_drip = start
    while time.monotonic() - start < a.seconds:
        now = time.monotonic()
        if not extra and a.extra and now - start >= a.extra_after:
            extra = [connect(host, port) for _ in range(a.extra)]
            for s in extra:
                received[id(s)] = b""
                closed[id(s)] = False
        if now >= next_drip:
            for s in slow:
                i = sent[id(s)]
                if not closed[id(s)] and i < len(REQUEST):
                    try:
                        s.send(REQUEST[i:i + 1]); sent[id(s)] = i + 1
                    except OSError:
                        closed[id(s)] = True
            next_drip = now + a.drip
        for s in idle + slow + extra:
            if closed[id(s)]:
                continue
            data, ended = read_all(s)
            received[id(s)] += data
            closed[id(s)] |= ended
        time.sleep(0.05)

    failures = 0
    def check(name, ok, detail):
        nonlocal failures
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
        failures += 0 if ok else 1

    idle_open = sum(1 for s in idle if not closed[id(s)])
    idle_preface = sum(1 for s in idle if received[id(s)].startswith(PREFACE))
    check("idle connections stay open", idle_open == len(idle), f"{idle_open} of {len(idle)} open")
    check("idle connections got the preface", idle_preface == len(idle), f"{idle_preface} of {len(idle)}")
    if a.seconds > a.frame_timeout + 2:
        cut = [goaway_code(received[id(s)]) for s in slow]
        ok = sum(1 for s, c in zip(slow, cut) if c == 4 and closed[id(s)])
        check("slow-loris connections get GOAWAY DEADLINE_EXCEEDED and are closed", ok == len(slow),
              f"{ok} of {len(slow)}")
    refused = sum(1 for s in extra if goaway_code(received[id(s)]) == 8 and closed[id(s)])
    check("connections over the limit get GOAWAY RESOURCE_EXHAUSTED and are closed", refused == len(extra),
          f"{refused} of {len(extra)}")
    for s in idle + slow + extra:
        s.close()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
