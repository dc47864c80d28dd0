"""The measuring half of bench/run: runs the commands interleaved, RUNS times each, and
prints the medians with the peak RSS of each command (its own, from wait4)."""

import os
import platform
import statistics
import subprocess
import sys
import time

# TGLINT_BIN: another tglint binary to measure (a build before a change, for comparison).
TGLINT = os.environ.get("TGLINT_BIN", "./target/release/tglint")
FLOOR = "./target/release/examples/bench_floor"


def run(cmd, env=None):
    """Wall seconds and peak RSS (MiB) of one run; its output is discarded."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        err = p.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    # tglint check exits 1 when it finds something: that is a result, not a failure.
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {code}:\n{err}")
    return wall, usage.ru_maxrss / 1024


def measure(cmds, runs, prep=None):
    """Each command RUNS times, interleaved; (median wall, max RSS) per command.
    `prep` maps a command's name to what to do (untimed) before each of its runs."""
    prep = prep or {}
    walls = {name: [] for name in cmds}
    rss = {name: 0.0 for name in cmds}
    for i in range(runs):
        for name, (cmd, env) in cmds.items():
            if name in prep:
                prep[name](i)
            w, r = run(cmd, env)
            walls[name].append(w)
            rss[name] = max(rss[name], r)
    return {name: (statistics.median(walls[name]), rss[name]) for name in cmds}


def threads(n):
    env = dict(os.environ)
    env["RAYON_NUM_THREADS"] = str(n)
    return env


def main():
    runs = int(sys.argv[1])
    sizes = [int(s) for s in sys.argv[2:]]
    tmp = os.environ.get("TMPDIR", "/tmp")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}; median of {runs} interleaved runs"
    )
    header = (
        f"{'units':>6} {'files':>6} | {'floor 1t':>8} {'2t s':>6} {'MiB':>4} | "
        f"{'check 1t s':>10} {'x':>5} {'MiB':>5} | {'check 2t s':>10} {'x':>5} {'MiB':>5} | "
        f"{'us/unit 1t':>10} {'us/unit 2t':>10}"
    )
    print(header)
    print("-" * len(header))
    changed = None
    for n in sizes:
        prep = {}
        d = f"{tmp}/tglint-bench-{n}"
        files = sum(
            1 for _, _, fs in os.walk(d) for f in fs if f.endswith(".hcl")
        )
        cmds = {
            "floor1": ([FLOOR, d], threads(1)),
            "floor2": ([FLOOR, d], threads(2)),
            "check1": ([TGLINT, "check", d, "--format", "json", "--jobs", "1"], None),
            "check2": ([TGLINT, "check", d, "--format", "json", "--jobs", "2"], None),
        }
        if n == 11000 or (changed is None and n == sizes[-1]):
            unit = os.path.join(
                d, "environments/prod-003/eu-west-1/03-services/svc-07/terragrunt.hcl"
            )
            if os.path.exists(unit):
                changed_cmds(cmds, prep, tmp, unit, d)
        m = measure(cmds, runs, prep)
        f1, f2, c1, c2 = m["floor1"], m["floor2"], m["check1"], m["check2"]
        print(
            f"{n:>6} {files:>6} | {f1[0]:>8.3f} {f2[0]:>6.3f} {max(f1[1], f2[1]):>4.0f} | "
            f"{c1[0]:>10.3f} {c1[0] / f1[0]:>5.2f} {c1[1]:>5.0f} | "
            f"{c2[0]:>10.3f} {c2[0] / f2[0]:>5.2f} {c2[1]:>5.0f} | "
            f"{c1[0] / n * 1e6:>10.0f} {c2[0] / n * 1e6:>10.0f}"
        )
        if "edited" in m:
            changed = (n, m, c1, c2)
    print("x: check / floor on as many threads (the target is 2.0 or less); MiB: peak RSS")
    if changed:
        n, m, c1, c2 = changed
        print(
            f"changed-files runs on the {n}-unit tree (`tglint check <one unit file>`), "
            f"against the full run on as many threads (the target is 25% or less):"
        )
        for name, what in CHANGED:
            w, r = m[name]
            full = c1[0] if name.endswith("1") else c2[0]
            print(f"  {what}: {w:.3f} s, {r:.0f} MiB; {w / full * 100:.0f}% of the full run")


# The changed-files runs: their names and what each measures.
CHANGED = [
    ("edited", "the file edited since the last run, 2 threads"),
    ("edited1", "the file edited since the last run, 1 thread"),
    ("same", "nothing changed since the last run, 2 threads"),
    ("cold", "no run cache yet (the first run in a checkout), 2 threads"),
    ("nocache", "--no-cache, 2 threads"),
]


def changed_cmds(cmds, prep, tmp, unit, d):
    """The changed-files runs of docs/cache.md, on a run cache of the benchmark's own."""
    import shutil

    warm = f"{tmp}/tglint-bench-cache"
    shutil.rmtree(warm, ignore_errors=True)
    base = [TGLINT, "check", unit, "--root", d, "--format", "json"]
    env = dict(os.environ)
    env["TGLINT_CACHE_DIR"] = warm
    # The first run fills the cache; each later one sees the unit file changed (its
    # times set anew: to the cache, what an edit is).
    run(base + ["--jobs", "2"], env)

    def touch(i):
        t = time.time() - 10 - i * 0.001
        os.utime(unit, (t, t))

    cold = f"{tmp}/tglint-bench-cache-cold"

    def empty(_):
        shutil.rmtree(cold, ignore_errors=True)

    cold_env = dict(os.environ)
    cold_env["TGLINT_CACHE_DIR"] = cold
    cmds["edited"] = (base + ["--jobs", "2"], env)
    prep["edited"] = touch
    cmds["edited1"] = (base + ["--jobs", "1"], env)
    prep["edited1"] = touch
    cmds["same"] = (base + ["--jobs", "2"], env)
    cmds["cold"] = (base + ["--jobs", "2"], cold_env)
    prep["cold"] = empty
    cmds["nocache"] = (base + ["--jobs", "2", "--no-cache"], None)


if __name__ == "__main__":
    main()
