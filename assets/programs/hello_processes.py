#!/usr/bin/env python3
# seed 000: alice and bob say hello, sleep, and are done -- two processes
import multiprocessing
import time


def hello(name):
    print(f"hello {name}")
    time.sleep(0.5)
    print(f"{name} done!")


def main():
    procs = [multiprocessing.Process(target=hello, args=(n,), name=n) for n in ("alice", "bob")]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


if __name__ == "__main__":
    main()
