# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python benchmark, hivekit against python-hivex in one run:

1. a winreg script's walk of a hive (EnumKey, OpenKey, EnumValue on every
   key: every key, every value with its data) through hivekit.winreg, in
   the two usual idioms (loops that end on OSError; loops bounded by
   QueryInfoKey), against the same walk through python-hivex
   (node_children, node_name, node_values, value_key, value_value);
2. Hive.walk() (every key and value record) against the same hivex walk;
3. hivekit.batch export on a LocalCluster of one worker process and of two:
   the throughput ratio.

Usage: PYTHONPATH=<builddir>/python python3 bench/bench_python.py HIVE[.gz]
       [--repeat N] [--hives N] [--no-dask]
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


def dask_ratio(path, n_hives, folder):
    import distributed
    from hivekit import batch
    hives = []
    for i in range(n_hives):
        d = os.path.join(folder, "pc%d" % i)
        os.makedirs(d)
        hives.append(os.path.join(d, "SYSTEM"))
        shutil.copyfile(path, hives[-1])
    rates = {}
    for workers in (1, 2):
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                           processes=True, host="127.0.0.1",
                                           dashboard_address=None)
        client = distributed.Client(cluster)
        try:
            # warm the workers (imports), then time the batch
            batch.run("export", hives[:workers], os.path.join(folder, "warm%d" % workers), client)
            t = time.perf_counter()
            summary = batch.run("export", hives, os.path.join(folder, "out%d" % workers), client)
            rates[workers] = n_hives / (time.perf_counter() - t)
            assert summary["ok"] == n_hives, summary
        finally:
            client.close()
            cluster.close()
    return rates


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("hive")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--hives", type=int, default=8)
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
            rates = dask_ratio(path, a.hives, folder)
            print("batch export, 1 worker  %6.2f hives/s" % rates[1])
            print("batch export, 2 workers %6.2f hives/s  ratio %.2f (goal >= 1.7)"
                  % (rates[2], rates[2] / rates[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
