#!/usr/bin/env python3
# the GIL battle: two CPU-bound threads take turns holding the GIL, 5 ms each
import sys
import threading


def count(n):
    while n > 0:
        n -= 1


def main():
    print(f"switch interval: {sys.getswitchinterval() * 1000:.0f} ms")
    threads = [threading.Thread(target=count, args=(8_000_000,), name=f"counter-{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("done")


if __name__ == "__main__":
    main()
