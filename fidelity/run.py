"""make fidelity: each seed experiment run both ways -- as a Python program
on this machine's CPython and as the matching conctui scenario -- and one
table of the medians side by side.

usage: python3 fidelity/run.py [N]     (N runs of each side; default 3)
Environment: CONCTUI_BIN (default ./conctui), CONCTUI_DATADIR (default
./assets), FIDELITY_SERVER (conctui's latency server alone, built by make
fidelity).  Exit status 0 when every row is within its tolerance, 1 if
not, 2 when it cannot run.

The Python programs are fidelity/*.py; each prints one JSON object.  The
requests they make go to conctui's own latency server on 127.0.0.1
(fidelity/latency_server.c: "WAIT <ms>\\n", answered "OK <ms>\\n" after
<ms> ms), in a process of its own, so both sides talk to the same server
and the measured program never serves itself.  conctui runs with --batch
--json - and the driver reads the record.
"""
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CONCTUI = os.environ.get("CONCTUI_BIN", os.path.join(ROOT, "conctui"))
DATADIR = os.environ.get("CONCTUI_DATADIR", os.path.join(ROOT, "assets"))
N = int(sys.argv[1]) if len(sys.argv) > 1 else 3


# ---- the latency server --------------------------------------------------

def start_server():
    """conctui's latency server in a process of its own; its port.  It ends
    when its standard input closes, that is when this driver ends."""
    exe = os.environ.get("FIDELITY_SERVER", os.path.join(ROOT, "build/default/fidelity/latency_server"))
    if not os.access(exe, os.X_OK):
        sys.exit(f"fidelity: no latency server at {exe} (make fidelity builds it)")
    server = subprocess.Popen([exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return int(server.stdout.readline())


# ---- the two sides -------------------------------------------------------

def python(prog, *args):
    out = subprocess.run([sys.executable, os.path.join(HERE, prog), *map(str, args)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def conctui(scenario, *opts):
    env = dict(os.environ, CONCTUI_DATADIR=DATADIR)
    if scenario.endswith(".ini"):
        scenario = os.path.join(HERE, "scenarios", scenario)
    out = subprocess.run([CONCTUI, "--batch", "--json", "-", *opts, scenario],
                         check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out)


def task(rec, name):
    return next(t for t in rec["tasks"] if t["name"] == name)


def duration(rec, name):
    t = task(rec, name)
    return t["end_ms"] - t["start_ms"]


def battle_figures(rec):
    holds = rec["gil"]["holds"]
    inner = [h["t1"] - h["t0"] for h in holds[1:-1]]
    handoffs = sum(a["task"] != b["task"] for a, b in zip(holds, holds[1:]))
    return statistics.median(inner), handoffs / ((holds[-1]["t0"] - holds[0]["t0"]) / 1000)


def frames(rec, lane):
    return [s["t0"] for s in task(rec, lane)["spans"]
            if s["state"] == "running" and s["reason"] == "spinner frame"]


def spinner_figures(gil, aio):
    end = task(gil, "slow")["end_ms"]
    f = [t for t in frames(gil, "spinner") if t <= end]
    gap = statistics.median(b - a for a, b in zip(f, f[1:]))
    return gap, sum(t < task(aio, "slow")["end_ms"] for t in frames(aio, "spinner"))


# ---- the experiments: each returns {quantity: (cpython, conctui)} ----------

def sleeps(port):
    py = python("sleeps.py")
    c = {m: conctui("seed-sleep", "-b", m)["wall_ms"] for m in ("sequential", "threads", "asyncio")}
    return {"wall ms, " + m: (py[m], c[m]) for m in c}


def cpu_bound(port):
    py = python("cpu_bound.py", 200000)
    c = {m: conctui("cpu-bound", "-b", m)["wall_ms"] for m in ("sequential", "gil", "processes")}
    empty = conctui("empty-processes.ini", "-b", "processes")["wall_ms"]
    # A CPython process costs an interpreter's fork, copy-on-write faults on
    # its heap and multiprocessing's bootstrap (about 17 ms here); conctui's
    # processes are small C processes (about 3 ms).  The speed-up is compared
    # on the work: CPython's cost of ten empty processes is taken out of its
    # wall time; conctui's is small and left in.  The costs are their own row.
    return {"speed-up, threads": (py["sequential"] / py["threads"], c["sequential"] / c["gil"]),
            "speed-up, processes, on the work": (
                py["sequential"] / (py["processes"] - py["empty_processes"]),
                c["sequential"] / c["processes"]),
            "ms to start and join 10 empty processes": (py["empty_processes"], empty)}


def io_bound(port):
    py = python("io_bound.py", port, 100)
    c = {m: conctui("io-bound", "-b", m)["wall_ms"] for m in ("sequential", "gil", "asyncio")}
    return {"speed-up, threads": (py["sequential"] / py["threads"], c["sequential"] / c["gil"]),
            "speed-up, asyncio": (py["sequential"] / py["asyncio"], c["sequential"] / c["asyncio"])}


def battle(interval):
    def run(port):
        py = python("battle.py", interval)
        hold, rate = battle_figures(conctui("gil-battle", "--switch-interval", str(interval)))
        return {"median hold ms": (py["median_hold_ms"], hold),
                "hand-offs a second": (py["switches_per_s"], rate)}
    return run


def convoy(kind, interval):
    def run(port):
        py = python("convoy.py", port, interval, 100, 2, kind)
        iv = ("--switch-interval", str(interval))
        alone = duration(conctui(f"convoy-{kind}-alone.ini", *iv), "io")
        hogged = duration(conctui(f"convoy-{kind}.ini", *iv), "io")
        return {f"{kind} thread, x its time alone": (py["ratio"], hogged / alone)}
    return run


def spinner(port):
    py = python("spinner.py", 3000)
    gap, n = spinner_figures(conctui("spinner-cpu", "-b", "gil"), conctui("spinner-cpu", "-b", "asyncio"))
    return {"threads: median frame gap ms": (py["threads_median_gap_ms"], gap),
            "asyncio: frames before slow() returns": (py["asyncio_frames_before_end"], n)}


# (experiment, function, {quantity: tolerance}); a tolerance of 0 means
# equal, None a difference shown but not modelled (never out of tolerance).
EXPERIMENTS = [
    ("seed 003 sleeps", sleeps, {"*": 0.03}),
    ("seed 001 cpu-bound", cpu_bound, {"*": 0.15,
                                       "ms to start and join 10 empty processes": None}),
    ("seed 001 io-bound", io_bound, {"*": 0.15}),
    ("GIL battle, 5 ms", battle(5), {"median hold ms": 0.03, "hand-offs a second": 0.05}),
    ("GIL battle, 1 ms", battle(1), {"median hold ms": 0.03, "hand-offs a second": 0.05}),
    ("convoy, sleeps, 5 ms", convoy("sleep", 5), {"*": 0.25}),
    ("convoy, sleeps, 1 ms", convoy("sleep", 1), {"*": 0.25}),
    ("convoy, requests, 5 ms", convoy("io", 5), {"*": 0.25}),
    ("convoy, requests, 1 ms", convoy("io", 1), {"*": 0.25}),
    ("seed 004 spinner-cpu", spinner, {"threads: median frame gap ms": 0.05,
                                       "asyncio: frames before slow() returns": 0}),
]


def measure(port):
    rows = []
    for name, fn, tols in EXPERIMENTS:
        runs = [fn(port) for _ in range(N)]
        for q in runs[0]:
            py = statistics.median(r[q][0] for r in runs)
            c = statistics.median(r[q][1] for r in runs)
            tol = tols[q] if q in tols else tols.get("*")
            ratio = c / py if py else (1.0 if c == py else float("inf"))
            ok = True if tol is None else c == py if tol == 0 else abs(ratio - 1) <= tol
            rows.append((name, q, py, c, ratio, tol, ok))
            print(f"  {name}: {q}: CPython {py:.3f}, conctui {c:.3f}", file=sys.stderr, flush=True)
    return rows


def table(rows):
    head = ("experiment", "quantity", f"CPython (median of {N})", f"conctui (median of {N})",
            "ratio", "tolerance", "ok")
    cells = [head] + [(e, q, f"{p:.3f}", f"{c:.3f}", f"{r:.3f}",
                       "not modelled" if t is None else "equal" if t == 0 else f"+-{t * 100:.0f}%",
                       "-" if t is None else "ok" if ok else "NO")
                      for e, q, p, c, r, t, ok in rows]
    w = [max(len(r[i]) for r in cells) for i in range(len(head))]
    for r in cells:
        print("| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(r)) + " |")
        if r is head:
            print("|" + "|".join("-" * (x + 2) for x in w) + "|")


def main():
    if not os.access(CONCTUI, os.X_OK):
        print(f"fidelity: {CONCTUI}: not built (make first)", file=sys.stderr)
        return 2
    before = os.getloadavg()[0]
    rows = measure(start_server())
    load = max(before, os.getloadavg()[0])
    print(f"CPython {sys.version.split()[0]}, {os.cpu_count()} cores, load average up to {load:.1f}")
    table(rows)
    if load > os.cpu_count():
        print("note: the machine was busy; every figure that depends on when a thread gets a "
              "core (holds, hand-offs, convoys, speed-ups) measures the load as much as the model")
    return 0 if all(r[-1] for r in rows) else 1


sys.exit(main())
