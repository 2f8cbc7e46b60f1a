"""Seed 001's I/O-bound work: io_bound() makes 4 requests of MS ms to the
latency server one after another; it runs ten times, one after another,
on ten threads, and as ten asyncio tasks.  Prints JSON: wall ms of each.

usage: io_bound.py PORT [MS]
"""
import asyncio
import json
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
MS = float(sys.argv[2]) if len(sys.argv) > 2 else 100
N = 10


def request():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("127.0.0.1", PORT))
    s.sendall(b"WAIT %g\n" % MS)
    s.recv(64)
    s.close()


def io_bound():
    for _ in range(4):
        request()


async def arequest():
    r, w = await asyncio.open_connection("127.0.0.1", PORT)
    w.write(b"WAIT %g\n" % MS)
    await r.readline()
    w.close()


async def aio_bound():
    for _ in range(4):
        await arequest()


async def coroutines():
    await asyncio.gather(*(aio_bound() for _ in range(N)))


def wall(f):
    t0 = time.perf_counter()
    f()
    return (time.perf_counter() - t0) * 1000


def threads():
    ts = [threading.Thread(target=io_bound) for _ in range(N)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


print(json.dumps({"sequential": wall(lambda: [io_bound() for _ in range(N)]),
                  "threads": wall(threads),
                  "asyncio": wall(lambda: asyncio.run(coroutines()))}))
