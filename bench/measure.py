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


def measure(cmds, runs):
    """Each command RUNS times, interleaved; (median wall, max RSS) per command."""
    walls = {name: [] for name in cmds}
    rss = {name: 0.0 for name in cmds}
    for _ in range(runs):
        for name, (cmd, env) in cmds.items():
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
                cmds["changed"] = (
                    [TGLINT, "check", unit, "--root", d, "--format", "json", "--jobs", "2"],
                    None,
                )
        m = measure(cmds, runs)
        f1, f2, c1, c2 = m["floor1"], m["floor2"], m["check1"], m["check2"]
        print(
            f"{n:>6} {files:>6} | {f1[0]:>8.3f} {f2[0]:>6.3f} {max(f1[1], f2[1]):>4.0f} | "
            f"{c1[0]:>10.3f} {c1[0] / f1[0]:>5.2f} {c1[1]:>5.0f} | "
            f"{c2[0]:>10.3f} {c2[0] / f2[0]:>5.2f} {c2[1]:>5.0f} | "
            f"{c1[0] / n * 1e6:>10.0f} {c2[0] / n * 1e6:>10.0f}"
        )
        if "changed" in m:
            changed = (n, m["changed"], c2)
    print("x: check / floor on as many threads (the target is 2.0 or less); MiB: peak RSS")
    if changed:
        n, (w, r), (full, _) = changed
        print(
            f"changed-files run on the {n}-unit tree (one unit file, 2 threads): "
            f"{w:.3f} s, {r:.0f} MiB; {w / full * 100:.0f}% of the full run "
            f"(the target is 25% or less)"
        )


if __name__ == "__main__":
    main()
