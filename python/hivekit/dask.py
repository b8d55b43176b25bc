# SPDX-License-Identifier: LGPL-2.1-or-later
"""Many hives on Dask (Debian's python3-dask and python3-distributed):
read_hives() gives a dask.bag of records, one partition per hive, so any
scheduler (threads, processes, a distributed cluster) spreads the hives
over its workers."""

from . import records as _records

_WHAT = {"values": "values", "keys": "keys", "timeline": "timeline", "deleted": "deleted"}


def _read_partition(paths, what):
    out = []
    for path in paths:
        try:
            recs, _ = _records.read_hive(path, _WHAT[what])
        except OSError as e:
            # A hive that cannot be read is a record, never a lost task.
            recs = [{"type": "error", "error": str(e), "hive": str(path)}]
        out.extend(recs)
    return out


def read_hives(paths, what="values"):
    """A dask.bag of the records of every hive in paths (what: "values",
    "keys", "timeline" or "deleted"): dicts of the CLI's jsonl schema with
    "hive" (the input path) added; records of a hive that only a salvage
    read could open carry "salvaged": true; a hive that cannot be read at
    all gives one record {"type": "error", "error": ..., "hive": ...}."""
    import dask.bag as db
    if what not in _WHAT:
        raise ValueError("what must be one of %s" % ", ".join(sorted(_WHAT)))
    paths = [str(p) for p in paths]
    if not paths:
        return db.from_sequence([], npartitions=1)
    return db.from_sequence(paths, npartitions=len(paths)).map_partitions(
        _read_partition, what)
