# SPDX-License-Identifier: LGPL-2.1-or-later
"""python3 -m hivekit.batch export|timeline|deleted --out DIR
[--scheduler ADDRESS | --workers N] FILES...

Runs the CLI's command on every hive over Dask and writes into DIR one
.jsonl part per hive (named NNNNNN-<file name>.jsonl: a fleet's hives are
all called NTUSER.DAT) holding the command's jsonl records, each with
"hive": the input path, and summary.json: {"hives": N, "ok": N, "failed":
[{"hive": path, "error": text}]}. A hive that fails a strict read is read
again with salvage and its records carry "salvaged": true; one that still
fails is listed in "failed" and never stops the batch."""

import argparse
import json
import os
import re
import sys

from . import records as _records

COMMANDS = ("export", "timeline", "deleted")


def part_name(index, path):
    base = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(str(path))) or "hive"
    return "%06d-%s.jsonl" % (index, base)


def process(path, command, out_dir, index):
    """One hive: its part written atomically; returns what summary.json
    needs. Runs on a worker."""
    path = str(path)
    name = part_name(index, path)
    tmp = os.path.join(out_dir, "." + name + ".tmp")
    try:
        if command == "export":
            # lines made and written in C, the GIL released
            count, salvaged = _records.write_export(path, tmp)
        else:
            recs, salvaged = _records.read_hive(path, command)
            count = len(recs)
    except OSError as e:
        if os.path.exists(tmp):
            os.unlink(tmp)
        return {"hive": path, "ok": False, "error": str(e)}
    if command != "export":
        with open(tmp, "wb") as f:
            for r in recs:
                f.write(_records.encode_line(r))
    os.replace(tmp, os.path.join(out_dir, name))
    return {"hive": path, "ok": True, "part": name, "records": count, "salvaged": salvaged}


# The cluster --workers N starts leaves out what is made for interactive
# use and would only take CPU from the tasks (long C calls, the GIL let
# go): the statistical profiler (every process sampling its threads' stacks
# each 10 ms) and polls every 20 to 500 ms (event-loop health, memory,
# system monitor).
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
}


def local_cluster(workers):
    """The distributed.LocalCluster of `--workers N`: N worker processes of
    one thread each on loopback, with LOCAL_CONFIG."""
    import dask
    from distributed import LocalCluster
    with dask.config.set(LOCAL_CONFIG):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            host="127.0.0.1", dashboard_address=None)


def process_chunk(items, command, out_dir):
    """process() for each (index, path) of items, in order. Runs on a worker."""
    return [process(path, command, out_dir, index) for index, path in items]


def chunk_size(hives, client):
    """Hives per task: about four tasks per worker thread, at most 16 hives."""
    try:
        threads = sum(client.nthreads().values())
    except Exception:  # a client that cannot say: one hive per task
        threads = 0
    if threads <= 0:
        return 1
    return max(1, min(16, hives // (4 * threads)))


def run(command, paths, out_dir, client):
    """Processes paths on a distributed client; returns the summary dict."""
    from distributed import as_completed
    os.makedirs(out_dir, exist_ok=True)
    paths = [str(p) for p in paths]
    out_dir = os.path.abspath(out_dir)
    # Hives go out in chunks, a few per worker thread: the scheduler's cost
    # is per task (a few ms of the scheduler's and the client's CPU, which
    # on a small machine is taken from the workers), and a chunk of several
    # hives still leaves enough tasks for the load to even out at the end.
    chunk = chunk_size(len(paths), client)
    chunks = [list(range(i, min(i + chunk, len(paths)))) for i in range(0, len(paths), chunk)]
    futures = {client.submit(process_chunk, [(i, paths[i]) for i in c], command, out_dir,
                             pure=False): c for c in chunks}
    # by index: the same path given twice is two hives with two parts
    results = [None] * len(paths)
    # results fetched as the tasks end (no round trip per hive afterwards)
    for fut, result in as_completed(list(futures), with_results=True, raise_errors=False):
        indices = futures[fut]
        if fut.status == "error":
            # a lost worker fails the hives of its chunk, not the batch
            e = fut.exception()
            result = [{"hive": paths[i], "ok": False, "error": "%s: %s" % (type(e).__name__, e)}
                      for i in indices]
        for i, r in zip(indices, result):
            results[i] = r
    summary = {"hives": len(paths), "ok": sum(1 for r in results if r["ok"]),
               "failed": [{"hive": r["hive"], "error": r["error"]}
                          for r in results if not r["ok"]]}
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m hivekit.batch", description=__doc__.split("\n\n")[1])
    ap.add_argument("command", choices=COMMANDS)
    ap.add_argument("--out", required=True, help="folder for the parts and summary.json")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--scheduler", help="address of a running `dask scheduler`")
    group.add_argument("--workers", type=int, help="local worker processes (default: one per core)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args(argv)
    from distributed import Client
    if a.scheduler:
        client = Client(a.scheduler)
        cluster = None
    else:
        cluster = local_cluster(a.workers or os.cpu_count() or 1)
        client = Client(cluster)
    try:
        summary = run(a.command, a.files, a.out, client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    print("%d hives, %d ok, %d failed" % (summary["hives"], summary["ok"], len(summary["failed"])),
          file=sys.stderr)
    return 0 if not summary["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
