"""The PDF card's Chromium touches nothing but loopback, checked on the real browser with strace.

The page asks for remote fonts, an image, a fetch and a DNS prefetch. Every socket call of every
Chromium process is traced: no TCP connection, and no datagram, may go to an address off loopback.
Chromium's IPv6 reachability probe (a UDP ``connect`` to a public address, which sends no packet) is
allowed only while nothing is sent on that socket.
"""

from __future__ import annotations

import ipaddress
import re
import shutil

import pytest

from ethicscheck.cards._pdf import find_chromium, print_pdf

pytestmark = [
    pytest.mark.slow,  # starts the real browser (~5 s of CPU)
    pytest.mark.skipif(
        find_chromium() is None or shutil.which("strace") is None, reason="needs Chromium (.ci/install-chromium) and strace"
    ),
]

PAGE = """<html><head><link rel="dns-prefetch" href="//www.google.com">
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head>
<body><p>card</p><img src="https://example.com/x.png">
<script>fetch("https://clients2.google.com/x").catch(() => {})</script></body></html>"""

_CALL = re.compile(r"^(?P<pid>\d+) +(?P<call>socket|connect|sendto|sendmsg|sendmmsg|close)\((?P<args>.*)$")
_SOCKET = re.compile(r"(AF_INET6?), (SOCK_\w+).*= (\d+)")
_SOCKET_TYPE = re.compile(r"AF_INET6?, (SOCK_\w+)")
_RESUMED = re.compile(r"^(?P<pid>\d+) +<\.\.\. socket resumed>.*= (?P<fd>\d+)")
_ADDRESS = re.compile(r'inet_(?:addr\("([^"]+)"\)|pton\(AF_INET6, "([^"]+)")')


def off_loopback(trace: str) -> list[str]:
    """The socket calls of a ``strace -f`` log that reach, or send to, an address off loopback."""
    kinds: dict[tuple[str, str], str] = {}
    probes: set[tuple[str, str]] = set()
    problems = []
    pending: dict[str, str] = {}  # pid -> socket type of a socket() call strace split in two lines
    for line in trace.splitlines():
        resumed = _RESUMED.match(line)
        if resumed:
            _forget_fd(probes, resumed["fd"])
        if resumed and resumed["pid"] in pending:
            kinds[(resumed["pid"], resumed["fd"])] = pending.pop(resumed["pid"])
            continue
        match = _CALL.match(line)
        if not match:
            continue
        pid, call, args = match["pid"], match["call"], match["args"]
        fd = re.match(r"\d*", args)[0]  # "25, ..." or, when strace splits a call under load, "25 <unfinished ...>"
        if call == "socket":
            _forget_fd(probes, _returned_fd(args))
            created = _SOCKET.search(args)
            if created:
                kinds[(pid, created[3])] = created[2]
            elif "<unfinished" in args and (split := _SOCKET_TYPE.search(args)):
                pending[pid] = split[1]
            continue
        if call == "close":
            # threads share one fd table but strace names each by its own id: a close in any
            # thread frees the number, and the next socket (a netlink one, say) may reuse it
            _forget_fd(probes, fd)
            continue
        if (pid, fd) in probes:
            problems.append(f"sent on a socket connected off loopback: {line}")
        address = _ADDRESS.search(args)
        if address is None or ipaddress.ip_address(address[1] or address[2]).is_loopback:
            continue
        if call == "connect" and kinds.get((pid, fd)) == "SOCK_DGRAM":
            probes.add((pid, fd))  # a UDP connect sends nothing by itself
        else:
            problems.append(line)
    return problems


def _returned_fd(args: str) -> str | None:
    returned = re.search(r"= (\d+)$", args)
    return returned[1] if returned else None


def _forget_fd(probes: set[tuple[str, str]], fd: str | None) -> None:
    """A closed or reused descriptor number is no longer the probe socket, in any thread."""
    for probe in [p for p in probes if p[1] == fd]:
        probes.discard(probe)


def test_the_parser_flags_what_leaves_loopback():
    trace = "\n".join(
        [
            "1 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 25",
            '1 connect(25, {sa_family=AF_INET6, sin6_port=htons(443), inet_pton(AF_INET6, "2001:4860:4860::8888", &a)}, 28) = 0',
            "1 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 26",
            '1 connect(26, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1',
        ]
    )
    assert off_loopback(trace) == []
    split = "1 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP <unfinished ...>\n1 <... socket resumed>) = 25\n" + trace.split("\n", 1)[1]
    assert off_loopback(split) == []
    assert off_loopback(trace + "\n1 sendmsg(25, {msg_name=NULL}, 0) = 40")  # a packet on the probe socket
    reused = '2 close(25) = 0\n3 socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 25\n1 sendto(25, "\\20", 64, 0, NULL, 0) = 64'
    assert off_loopback(trace + "\n" + reused) == []  # another thread closed the probe; fd 25 is netlink now
    split_close = "2 close(25 <unfinished ...>\n2 <... close resumed>) = 0\n" + reused.split("\n", 1)[1]
    assert off_loopback(trace + "\n" + split_close) == []  # the same, with strace splitting the close
    tcp = '1 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 27\n1 connect(27, {sa_family=AF_INET, sin_addr=inet_addr("142.250.1.1")}, 16)'
    assert off_loopback(tcp)


def test_pdf_printing_touches_only_loopback(tmp_path, monkeypatch):
    browser = find_chromium()
    trace = tmp_path / "trace.txt"
    wrapper = tmp_path / "chromium-traced"
    wrapper.write_text(
        f'#!/bin/sh\nexec strace -f -qq -e trace=socket,connect,sendto,sendmsg,sendmmsg,close -o "{trace}" "{browser}" "$@"\n'
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("ETHICSCHECK_CHROMIUM", str(wrapper))
    page = tmp_path / "model_card.html"
    page.write_text(PAGE)
    pdf = print_pdf(page, tmp_path / "model_card.pdf", timeout=170)
    assert pdf.stat().st_size > 0
    log = trace.read_text()
    assert "connect(" in log  # the trace saw the browser's sockets
    assert off_loopback(log) == []
