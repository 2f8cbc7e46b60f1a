#!/usr/bin/env python3
# the GIL battle with multiprocessing: two CPU-bound processes, each with its own GIL, both at once
import multiprocessing


def count(n):
    while n > 0:
        n -= 1


def main():
    procs = [multiprocessing.Process(target=count, args=(8_000_000,), name=f"counter-{i}") for i in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("done")


if __name__ == "__main__":
    main()
