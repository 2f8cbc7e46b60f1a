"""The GIL convoy (seed 001's lesson, the gil-convoy scenario): a thread
makes N requests of MS ms to the latency server, running 0.2 ms of Python
after each, alone and then beside a CPU-bound hog.  Prints JSON: the I/O
thread's time alone and with the hog, in ms.

usage: convoy.py PORT INTERVAL_MS N MS [sleep]
With `sleep`, each request is a time.sleep(MS) instead (one blocking call).
"""
import json
import socket
import sys
import threading
import time


def request(port, ms):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("127.0.0.1", port))
    s.sendall(b"WAIT %g\n" % ms)
    s.recv(64)
    s.close()


def compute(ms):
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def io_thread(port, n, ms, use_sleep, out):
    t0 = time.perf_counter()
    for _ in range(n):
        if use_sleep:
            time.sleep(ms / 1000)
        else:
            request(port, ms)
        compute(0.2)
    out.append((time.perf_counter() - t0) * 1000)


def hog(stop):
    x = 0
    while not stop.is_set():
        for i in range(1000):
            x += i


def run(port, n, ms, use_sleep, with_hog):
    out, stop = [], threading.Event()
    h = threading.Thread(target=hog, args=(stop,))
    if with_hog:
        h.start()
        time.sleep(0.02)
    t = threading.Thread(target=io_thread, args=(port, n, ms, use_sleep, out))
    t.start()
    t.join()
    stop.set()
    if with_hog:
        h.join()
    return out[0]


def main():
    port, interval, n, ms = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    use_sleep = len(sys.argv) > 5 and sys.argv[5] == "sleep"
    sys.setswitchinterval(interval / 1000)
    alone = run(port, n, ms, use_sleep, False)
    hogged = run(port, n, ms, use_sleep, True)
    print(json.dumps({"alone_ms": alone, "hog_ms": hogged, "ratio": hogged / alone}))


main()
