#!/usr/bin/env python3
# seed 000: alice and bob say hello, sleep, and are done -- two threads
import threading
import time


def hello(name):
    print(f"hello {name}")
    time.sleep(0.5)
    print(f"{name} done!")


def main():
    threads = [threading.Thread(target=hello, args=(n,), name=n) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
