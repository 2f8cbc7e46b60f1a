#!/usr/bin/env python3
# seed 003: sleeps of 0.8 s and 0.9 s on two threads -- both wait at once: 0.9 s in all
import threading
import time
import timeit


def sleep(n):
    print("Start sleep")
    time.sleep(n)
    print("Stop sleep")


def main():
    s1 = threading.Thread(target=sleep, args=(0.8,))
    s2 = threading.Thread(target=sleep, args=(0.9,))
    s1.start()
    s2.start()
    s1.join()
    s2.join()


if __name__ == "__main__":
    start = timeit.default_timer()
    main()
    print("Thread took %0.2fs" % (timeit.default_timer() - start))
