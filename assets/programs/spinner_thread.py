#!/usr/bin/env python3
# seed 004: a spinner thread turns while slow() sleeps 3 s in the main thread
import itertools
import math
import time
from threading import Event, Thread

PRIME = 1_000_000_000_000_037  # prime: about 3 s of trial division


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    for i in range(3, math.isqrt(n) + 1, 2):
        if n % i == 0:
            return False
    return True


def spin(msg, done):
    for char in itertools.cycle(r"\|/-"):
        print(f"{char} {msg}", flush=True)
        if done.wait(0.1):
            break


def slow():
    time.sleep(3)
    return 42


def supervisor():
    done = Event()
    spinner = Thread(target=spin, args=("thinking!", done), name="spinner")
    print(f"spinner object: {spinner}")
    spinner.start()
    result = slow()
    done.set()
    spinner.join()
    return result


if __name__ == "__main__":
    print(f"Answer: {supervisor()}")
