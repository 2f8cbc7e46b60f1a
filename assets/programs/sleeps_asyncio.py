#!/usr/bin/env python3
# seed 003: sleeps of 0.8 s and 0.9 s as coroutines -- one thread waits for both: 0.9 s in all
import asyncio
import timeit


async def sleep(n):
    print("Start sleep")
    await asyncio.sleep(n)
    print("Stop sleep")


async def main():
    await asyncio.gather(sleep(0.8), sleep(0.9))


if __name__ == "__main__":
    start = timeit.default_timer()
    asyncio.run(main())
    print("Async took %0.2fs" % (timeit.default_timer() - start))
