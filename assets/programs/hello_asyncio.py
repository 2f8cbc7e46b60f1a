#!/usr/bin/env python3
# seed 000: alice and bob say hello, sleep, and are done -- asyncio, one thread
import asyncio


async def hello(name):
    print(f"hello {name}")
    await asyncio.sleep(0.5)
    print(f"{name} done!")


async def main():
    await asyncio.gather(hello("alice"), hello("bob"))


if __name__ == "__main__":
    asyncio.run(main())
