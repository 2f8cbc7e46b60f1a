"""Seed 003's sleeps: time.sleep(0.8) and time.sleep(0.9), one after the
other, on two threads, and as two asyncio tasks.  Prints JSON: wall ms of
each.

usage: sleeps.py
"""
import asyncio
import json
import threading
import time

SLEEPS = (0.8, 0.9)


def wall(f):
    t0 = time.perf_counter()
    f()
    return (time.perf_counter() - t0) * 1000


def sequential():
    for s in SLEEPS:
        time.sleep(s)


def threads():
    ts = [threading.Thread(target=time.sleep, args=(s,)) for s in SLEEPS]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


async def coroutines():
    await asyncio.gather(*(asyncio.sleep(s) for s in SLEEPS))


print(json.dumps({"sequential": wall(sequential), "threads": wall(threads),
                  "asyncio": wall(lambda: asyncio.run(coroutines()))}))
