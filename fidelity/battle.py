"""The GIL battle (seed 001, the gil-battle scenario): two CPU-bound
threads take turns holding the GIL.  Only the holder runs Python code, so
each thread notes the moment it finds the last writer of a shared slot was
the other thread: a hand-off.  The time between two hand-offs is a hold.
Prints JSON: median hold (ms), hand-offs a second, wall time (ms).

usage: battle.py INTERVAL_MS [WORK_MS]
"""
import json
import statistics
import sys
import threading
import time

owner = [None]
handoffs = []


def worker(me, work_s):
    pc = time.perf_counter
    end = pc() + work_s
    while True:
        now = pc()
        if owner[0] != me:
            owner[0] = me
            handoffs.append(now)
            end += 0  # the deadline is wall time: both threads share it
        if now > end:
            break


def main():
    interval = float(sys.argv[1])
    work_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 1000
    sys.setswitchinterval(interval / 1000)
    ts = [threading.Thread(target=worker, args=(i, work_ms / 1000)) for i in range(2)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    wall = time.perf_counter() - t0
    holds = [(b - a) * 1000 for a, b in zip(handoffs, handoffs[1:])]
    print(json.dumps({"median_hold_ms": statistics.median(holds[1:-1]),
                      "switches_per_s": len(holds) / (handoffs[-1] - handoffs[0]),
                      "wall_ms": wall * 1000}))


main()
