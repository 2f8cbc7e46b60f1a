"""Seed 004's spinner beside a CPU-bound slow() (is_prime for about
SLOW_MS), with threads and with asyncio, shaped as the seed's: a
supervisor starts the spinner, then runs slow(), then stops the spinner.
Frames are drawn into a buffer, not a terminal.  Prints JSON: the median
gap between frames on threads (ms), and how many frames each model drew
before slow() returned.

usage: spinner.py [SLOW_MS]
"""
import asyncio
import io
import itertools
import json
import statistics
import sys
import threading
import time

SLOW_MS = float(sys.argv[1]) if len(sys.argv) > 1 else 3000
PERIOD = 0.1
out = io.StringIO()


def frame(char, frames):
    frames.append(time.perf_counter())
    out.write("\r" + char + " thinking!")


def slow():
    # Trial division standing in for is_prime(a large number): pure Python, no await.
    end = time.perf_counter() + SLOW_MS / 1000
    n, k = 10 ** 12 + 39, 3
    while time.perf_counter() < end:
        if n % k == 0:
            pass
        k += 2
    return 42


def spin_thread(done, frames):
    for char in itertools.cycle(r"\|/-"):
        frame(char, frames)
        if done.wait(PERIOD):
            break


def threads():
    done, frames = threading.Event(), []
    t = threading.Thread(target=spin_thread, args=(done, frames))
    t.start()
    slow()
    end = time.perf_counter()
    done.set()
    t.join()
    return frames, end


async def spin_task(frames):
    for char in itertools.cycle(r"\|/-"):
        frame(char, frames)
        await asyncio.sleep(PERIOD)


async def supervisor(frames):
    spinner = asyncio.create_task(spin_task(frames))
    slow()  # the seed's CPU-bound slow(): it never awaits
    end = time.perf_counter()
    spinner.cancel()
    return end


def coroutines():
    frames = []
    end = asyncio.run(supervisor(frames))
    return frames, end


tf, tend = threads()
af, aend = coroutines()
gaps = [(b - a) * 1000 for a, b in zip(tf, tf[1:]) if b <= tend]
print(json.dumps({"threads_median_gap_ms": statistics.median(gaps),
                  "threads_frames_before_end": sum(t < tend for t in tf),
                  "asyncio_frames_before_end": sum(t < aend for t in af)}))
