#!/usr/bin/env python3
"""A toy agent for tcpcheck's agent target, written from docs/agent-protocol.md
alone, with Python's standard library only.

Its "stack" knows one thing: a passive open over IPv4. It answers a SYN to a
listening port with a SYN-ACK, reports the connection when the handshake's
ACK arrives ("accepted" event), and hands it out on accept (at once, or as a
pending reply completed later). Everything else is "unsupported".

    toy_agent.py --tap DEV [--mute-after N] [--exit-after N] [--garbage]

For the fault tests (agent_test.sh): --mute-after N stops answering after
N requests, --exit-after N exits (status 4) instead, --garbage sends a
line that is no message after the hello.
"""
import argparse
import fcntl
import json
import os
import select
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
MY_MAC = bytes([0x02, 0, 0, 0, 0, 0x0A])


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Toy:
    def __init__(self, tap_name, mute_after, exit_after):
        self.tap = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(self.tap, TUNSETIFF, struct.pack("16sH", tap_name.encode(), IFF_TAP | IFF_NO_PI))
        self.ctl = os.fdopen(3, "r+b", buffering=0)
        self.mute_after = mute_after
        self.exit_after = exit_after
        self.requests = 0
        self.local = self.remote = None
        self.peer_mac = None
        self.next_fd = 3
        self.listeners = {}   # fd -> port
        self.ready = []       # established connections waiting for accept: (port, peer port)
        self.half = {}        # (port, peer port) -> our ISN, SYN-ACK sent
        self.pending = None   # (id, listening fd) of a blocked accept

    def send(self, obj):
        self.ctl.write((json.dumps(obj) + "\n").encode())

    # ---- the wire ----

    def tcp_out(self, sport, dport, seq, ack, flags):
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
        pseudo = self.local + self.remote + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0,
                         self.local, self.remote)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        os.write(self.tap, self.peer_mac + MY_MAC + b"\x08\x00" + ip + tcp)

    def frame_in(self, f):
        if len(f) < 14 + 40 or f[12:14] != b"\x08\x00" or f[14 + 9] != 6:
            return
        ip = f[14:]
        ihl = (ip[0] & 15) * 4
        if ip[16:20] != self.local:
            return
        tcp = ip[ihl:]
        sport, dport, seq, ack, _, flags = struct.unpack("!HHIIBB", tcp[:14])
        key = (dport, sport)
        if flags & 0x02 and dport in self.listeners.values():   # SYN
            isn = 1000
            self.half[key] = (isn, seq + 1)
            self.tcp_out(dport, sport, isn, seq + 1, 0x12)    # SYN-ACK
        elif flags & 0x10 and key in self.half and ack == self.half[key][0] + 1:
            del self.half[key]
            self.ready.append(key)
            lfd = [fd for fd, port in self.listeners.items() if port == dport][0]
            self.send({"event": "accepted", "fd": lfd})
            if self.pending:
                rid, _ = self.pending
                self.pending = None
                self.send({"id": rid, "result": self.take()})

    def take(self):
        self.ready.pop(0)
        fd = self.next_fd
        self.next_fd += 1
        return fd

    # ---- requests ----

    def request(self, req):
        rid, verb, args = req["id"], req["verb"], req.get("args", {})
        if verb == "open":
            if args["family"] != 4:
                return {"id": rid, "unsupported": "the toy does IPv4 only"}
            self.local = bytes(int(x) for x in args["local"].split("."))
            self.remote = bytes(int(x) for x in args["remote"].split("."))
            self.peer_mac = bytes(int(x, 16) for x in args["peer_mac"].split(":"))
            return {"id": rid, "result": 0}
        if verb == "socket":
            fd = self.next_fd
            self.next_fd += 1
            return {"id": rid, "result": fd}
        if verb == "bind":
            self.listeners[args["fd"]] = args["port"]
            return {"id": rid, "result": 0}
        if verb in ("listen", "close"):
            return {"id": rid, "result": 0}
        if verb == "accept":
            if self.ready:
                return {"id": rid, "result": self.take()}
            self.pending = (rid, args["fd"])
            return {"id": rid, "pending": True}
        return {"id": rid, "unsupported": "the toy does not do " + verb}

    def serve(self):
        buf = b""
        while True:
            readable, _, _ = select.select([self.ctl, self.tap], [], [])
            if self.tap in readable:
                self.frame_in(os.read(self.tap, 65536))
            if self.ctl in readable:
                data = self.ctl.read(65536)
                if not data:
                    return   # tcpcheck is done with us
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    self.requests += 1
                    if self.exit_after is not None and self.requests > self.exit_after:
                        print("toy: exiting at request %d" % self.requests, file=sys.stderr,
                              flush=True)
                        sys.exit(4)
                    if self.mute_after is not None and self.requests > self.mute_after:
                        print("toy: not answering request %d" % self.requests, file=sys.stderr,
                              flush=True)
                        continue
                    self.send(self.request(json.loads(line)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tap", required=True)
    ap.add_argument("--mute-after", type=int)
    ap.add_argument("--exit-after", type=int)
    ap.add_argument("--garbage", action="store_true")
    a = ap.parse_args()
    toy = Toy(a.tap, a.mute_after, a.exit_after)   # the TAP first, then the hello
    toy.send({"hello": "tcpcheck-agent", "protocol": 1, "name": "toy", "version": "0.1",
              "mac": MY_MAC.hex(":"), "clock": "real", "caps": ["ipv4"]})
    if a.garbage:
        print("toy: about to send garbage", file=sys.stderr, flush=True)
        toy.ctl.write(b"this is not JSON\n")
    toy.serve()


if __name__ == "__main__":
    main()
