"""HTTP servers on 127.0.0.1 that misbehave on purpose: trickle, cut the body short, answer in Latin-1.

Each runs in a daemon thread for the length of a ``with`` block and answers every request the same way.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator


def _serve(behaviour: str, listener: socket.socket, stop: threading.Event, n_rows: int) -> None:
    listener.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = listener.accept()
        except OSError:
            continue
        threading.Thread(target=_answer, args=(conn, behaviour, stop, n_rows), daemon=True).start()


def _answer(conn: socket.socket, behaviour: str, stop: threading.Event, n_rows: int) -> None:
    with conn:
        conn.settimeout(5)
        data = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
        body = ("[" + ",".join(["0.5"] * n_rows) + "]").encode()
        ok = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        try:
            if behaviour == "trickle":  # one byte a second, forever: each read succeeds, the request never ends
                conn.sendall(ok + b"Content-Length: 1000000\r\n\r\n")
                while not stop.is_set():
                    conn.sendall(b" ")
                    time.sleep(1)
            elif behaviour == "short":  # fewer bytes than Content-Length, then close
                conn.sendall(ok + f"Content-Length: {len(body) + 50}\r\n\r\n".encode() + body)
            elif behaviour == "latin1":  # not UTF-8
                payload = b'{"predictions": ["\xe9t\xe9"]}'
                conn.sendall(ok + f"Content-Length: {len(payload)}\r\n\r\n".encode() + payload)
            elif behaviour == "silent":  # accepts, never answers
                stop.wait(60)
            elif behaviour == "health":  # a tracking server that is up
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK")
        except OSError:
            pass


@contextlib.contextmanager
def misbehaving_server(behaviour: str, *, n_rows: int = 1) -> Iterator[str]:
    """Yield ``http://127.0.0.1:PORT`` of a server that answers every request as ``behaviour`` says."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()
    thread = threading.Thread(target=_serve, args=(behaviour, listener, stop, n_rows), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=2)
