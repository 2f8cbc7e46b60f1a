#!/usr/bin/env python3
# seed 004: a spinner coroutine turns while slow() computes (is_prime) on the same event loop
import asyncio
import itertools
import math

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


async def spin(msg):
    for char in itertools.cycle(r"\|/-"):
        print(f"{char} {msg}", flush=True)
        try:
            await asyncio.sleep(0.1)
        except asyncio.CancelledError:
            break


async def slow():
    is_prime(PRIME)  # computes without awaiting: the loop is blocked
    return 42


async def supervisor():
    spinner = asyncio.create_task(spin("thinking!"))
    print(f"spinner object: {spinner}")
    result = await slow()
    spinner.cancel()
    return result


if __name__ == "__main__":
    print(f"Answer: {asyncio.run(supervisor())}")
