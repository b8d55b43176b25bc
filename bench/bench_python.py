# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python benchmark, hivekit against python-hivex in one run:

1. a winreg script's walk of a hive (EnumKey, OpenKey, EnumValue on every
   key: every key, every value with its data) through hivekit.winreg, in
   the two usual idioms (loops that end on OSError; loops bounded by
   QueryInfoKey), against the same walk through python-hivex
   (node_children, node_name, node_values, value_key, value_value);
2. Hive.walk() (every key and value record) against the same hivex walk;
3. hivekit.batch export of N copies of the hive on the cluster of
   `--workers 1` and of `--workers 2` (batch.local_cluster), best of
   --dask-repeat runs each, each into an empty folder after a sync: both
   rates, the ratio, the CPU each part took; with the CLI (--cli, or
   $HIVEKIT_CLI), the same exports by `hivekit export` in one and in two
   parallel streams, for what the machine gives two workers without Dask.

Usage: PYTHONPATH=<builddir>/python python3 bench/bench_python.py HIVE[.gz]
       [--repeat N] [--hives N] [--dask-repeat N] [--cli PATH] [--no-dask]
Each timing is the best of N runs, the two walks interleaved; both readers
must count the same keys and values.
"""
import argparse
import gzip
import os
import shutil
import sys
import tempfile
import time


def inflate(path, folder):
    out = os.path.join(folder, "hive")
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f, open(out, "wb") as g:
        shutil.copyfileobj(f, g)
    return out


def walk_winreg(path):
    from hivekit import winreg
    counts = [0, 0]

    def walk(key):
        counts[0] += 1
        i = 0
        while True:
            try:
                name = winreg.EnumKey(key, i)
            except OSError:
                break
            with winreg.OpenKey(key, name) as sub:
                walk(sub)
            i += 1
        i = 0
        while True:
            try:
                winreg.EnumValue(key, i)
            except OSError:
                break
            i += 1
        counts[1] += i

    with winreg.OpenHive(path) as root:
        walk(root)
    return tuple(counts)


def walk_winreg_counted(path):
    """The other common winreg idiom: QueryInfoKey's counts bound the loops
    (no exception ends them)."""
    from hivekit import winreg
    counts = [0, 0]

    def walk(key):
        nkeys, nvalues, _ = winreg.QueryInfoKey(key)
        counts[0] += 1
        counts[1] += nvalues
        for i in range(nkeys):
            with winreg.OpenKey(key, winreg.EnumKey(key, i)) as sub:
                walk(sub)
        for i in range(nvalues):
            winreg.EnumValue(key, i)

    with winreg.OpenHive(path) as root:
        walk(root)
    return tuple(counts)


def walk_hivekit(path):
    import hivekit
    keys = values = 0
    with hivekit.Hive(path) as h:
        for r in h.walk():
            if r.type == "key":
                keys += 1
            else:
                values += 1
    return keys, values


def walk_hivex(path):
    import hivex
    h = hivex.Hivex(path)
    counts = [0, 0]

    def walk(node):
        counts[0] += 1
        for v in h.node_values(node):
            h.value_key(v)
            h.value_value(v)
            counts[1] += 1
        for c in h.node_children(node):
            h.node_name(c)
            walk(c)

    walk(h.root())
    return tuple(counts)


def best(fn, path, repeat):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(path)
        times.append(time.perf_counter() - t)
    return min(times), result


def _cpu():
    """This process's CPU seconds (user + system), on a worker or here."""
    import resource
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _busy():
    """CPU seconds the whole machine has spent busy (Linux), or None."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def _others(busy0, own, el):
    """The cores the rest of the machine (other jobs, the kernel's threads)
    took during a run of el seconds in which the bench's processes took own
    CPU seconds."""
    busy1 = _busy()
    return None if busy0 is None or busy1 is None else max(0.0, (busy1 - busy0 - own) / el)


def _fresh(folder, name):
    """An empty output folder, the previous run's parts removed first and
    the dirty pages of what came before written out, so no run pays for
    another's writeback."""
    out = os.path.join(folder, name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    os.sync()
    return out


def batch_rates(hives, folder, repeat):
    """hivekit.batch export of hives on a LocalCluster of one worker process
    and of two (one thread each), best of repeat runs each: {workers:
    (hives/s, worker CPU cores, scheduler + client CPU cores, cores the rest
    of the machine took)}."""
    import distributed
    from hivekit import batch
    rates = {}
    for workers in (1, 2):
        cluster = batch.local_cluster(workers)  # as `--workers N` starts it
        client = distributed.Client(cluster)
        try:
            client.wait_for_workers(workers)
            # warm every worker (imports, first open) outside the timing
            batch.run("export", hives[:2 * workers], _fresh(folder, "warm"), client)
            for _ in range(repeat):
                out = _fresh(folder, "out")
                w0, m0, b0, t = client.run(_cpu), _cpu(), _busy(), time.perf_counter()
                summary = batch.run("export", hives, out, client)
                el = time.perf_counter() - t
                w1, m1 = client.run(_cpu), _cpu()
                assert summary["ok"] == len(hives), summary
                w, m = sum(w1[k] - w0[k] for k in w0), m1 - m0
                run = (len(hives) / el, w / el, m / el, _others(b0, w + m, el))
                if run[0] > rates.get(workers, (0,))[0]:
                    rates[workers] = run
        finally:
            client.close()
            cluster.close()
    shutil.rmtree(os.path.join(folder, "out"), ignore_errors=True)
    shutil.rmtree(os.path.join(folder, "warm"), ignore_errors=True)
    return rates


def _children_cpu():
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cli_rates(cli, hives, folder, repeat):
    """The same exports by the CLI (`hivekit export HIVE --format jsonl >
    part`, a process per hive) in one stream and in two parallel ones, best
    of repeat runs each: {streams: (hives/s, cores the rest of the
    machine took, CPU seconds per hive)}: what the machine gives two workers without Dask."""
    import subprocess
    import threading
    rates = {}
    for streams in (1, 2):
        for _ in range(repeat):
            out = _fresh(folder, "cli")

            def stream(k):
                for i in range(k, len(hives), streams):
                    with open(os.path.join(out, "%06d.jsonl" % i), "wb") as f:
                        subprocess.run([cli, "export", hives[i], "--format", "jsonl"],
                                       stdout=f, check=True)
            threads = [threading.Thread(target=stream, args=(k,)) for k in range(streams)]
            c0, m0, b0, t = _children_cpu(), _cpu(), _busy(), time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            el = time.perf_counter() - t
            own = _children_cpu() - c0
            run = (len(hives) / el, _others(b0, own + _cpu() - m0, el), own / len(hives))
            if run[0] > rates.get(streams, (0,))[0]:
                rates[streams] = run
    shutil.rmtree(os.path.join(folder, "cli"), ignore_errors=True)
    return rates


def dask_report(path, n_hives, folder, repeat, cli):
    hives = []
    for i in range(n_hives):
        d = os.path.join(folder, "pc%d" % i)
        os.makedirs(d)
        hives.append(os.path.join(d, "SYSTEM"))
        shutil.copyfile(path, hives[-1])

    def others(o):
        return "" if o is None else ", rest of the machine %.2f" % o

    rates = batch_rates(hives, folder, repeat)
    (r1, c1, m1, o1), (r2, c2, m2, o2) = rates[1], rates[2]
    print("batch export, %d hives, best of %d (CPU in cores):" % (n_hives, repeat))
    print("  1 worker   %6.2f hives/s  (worker %.2f, scheduler + client %.2f%s; "
          "%.0f ms of worker CPU a hive)" % (r1, c1, m1, others(o1), 1000 * c1 / r1))
    print("  2 workers  %6.2f hives/s  (workers %.2f, scheduler + client %.2f%s; "
          "%.0f ms of worker CPU a hive)" % (r2, c2, m2, others(o2), 1000 * c2 / r2))
    print("  ratio %.2f (goal >= 1.7)" % (r2 / r1))
    if cli:
        crates = cli_rates(cli, hives, folder, repeat)
        (q1, p1, u1), (q2, p2, u2) = crates[1], crates[2]
        print("  the CLI, a process per hive, 1 stream   %6.2f hives/s  (%.0f ms of CPU a hive%s)"
              % (q1, 1000 * u1, others(p1)))
        print("  the CLI, a process per hive, 2 streams  %6.2f hives/s  (%.0f ms of CPU a hive%s)"
              "  ratio %.2f" % (q2, 1000 * u2, others(p2), q2 / q1))
        print("  batch / CLI: 1 worker %.2f, 2 workers %.2f" % (r1 / q1, r2 / q2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("hive")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--hives", type=int, default=48,
                    help="copies of the hive in each batch run (enough for a few seconds)")
    ap.add_argument("--dask-repeat", type=int, default=3)
    ap.add_argument("--cli", default=os.environ.get("HIVEKIT_CLI"),
                    help="the hivekit CLI, to time the same exports without Dask")
    ap.add_argument("--no-dask", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hivekit-bench-") as folder:
        path = inflate(a.hive, folder)
        # interleave: each round times all three once
        results = {"winreg": [], "counted": [], "walk": [], "hivex": []}
        counts = {}
        for _ in range(a.repeat):
            for name, fn in (("winreg", walk_winreg), ("counted", walk_winreg_counted),
                             ("walk", walk_hivekit), ("hivex", walk_hivex)):
                t, c = best(fn, path, 1)
                results[name].append(t)
                counts[name] = c
        if len(set(counts.values())) != 1:
            print("MISMATCH: keys/values %s" % counts)
            return 1
        keys, values = counts["hivex"]
        hx = min(results["hivex"])
        wr = min(results["winreg"])
        wk = min(results["walk"])
        print("hive: %d keys, %d values" % (keys, values))
        print("python-hivex walk      %8.3f s" % hx)
        wc = min(results["counted"])
        print("hivekit.winreg walk    %8.3f s  ratio %.2f (goal <= 1; loops end on OSError)"
              % (wr, wr / hx))
        print("hivekit.winreg walk    %8.3f s  ratio %.2f (goal <= 1; loops bounded by "
              "QueryInfoKey)" % (wc, wc / hx))
        print("hivekit Hive.walk()    %8.3f s  ratio %.2f (goal <= 0.33)" % (wk, wk / hx))
        if not a.no_dask:
            dask_report(path, a.hives, folder, a.dask_repeat, a.cli)
    return 0


if __name__ == "__main__":
    sys.exit(main())
