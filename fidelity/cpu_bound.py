"""Seed 001's CPU-bound work: cpu_bound(a, b) = a ** b, ten times, one
after another, on ten threads and in ten processes.  Prints JSON: wall ms
of each, and of ten processes that do nothing (what starting and joining
ten Python processes costs by itself).

usage: cpu_bound.py [B]   (the exponent; the seed's is 200000)
"""
import json
import multiprocessing
import sys
import threading
import time

A = 7777
B = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
N = 10


def cpu_bound(a, b):
    return a ** b


def wall(f):
    t0 = time.perf_counter()
    f()
    return (time.perf_counter() - t0) * 1000


def sequential():
    for _ in range(N):
        cpu_bound(A, B)


def nothing(a, b):
    pass


def spread(kind, work=cpu_bound):
    jobs = [kind(target=work, args=(A, B)) for _ in range(N)]
    for j in jobs:
        j.start()
    for j in jobs:
        j.join()


if __name__ == "__main__":
    print(json.dumps({"sequential": wall(sequential),
                      "threads": wall(lambda: spread(threading.Thread)),
                      "processes": wall(lambda: spread(multiprocessing.Process)),
                      "empty_processes": wall(lambda: spread(multiprocessing.Process, nothing))}))
