#!/usr/bin/env python3
# seed 001: cpu_bound (a ** b) four times on four threads -- the GIL lets one compute at a time
import threading

N = 4


def cpu_bound(a, b):
    return a ** b


def work():
    for _ in range(20):
        cpu_bound(7, 200_000)


def main():
    threads = [threading.Thread(target=work, name=f"worker-{i}") for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("done")


if __name__ == "__main__":
    main()
