# SPDX-License-Identifier: LGPL-2.1-or-later
"""hivekit.batch and hivekit.dask on a distributed.LocalCluster of two
worker processes on loopback: one part per hive equal to the CLI's output
apart from "hive" (and "salvaged" where a salvage read was needed), a
summary, failures listed and never stopping the batch."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import CORPUS

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.bag")

from hivekit import batch, records  # noqa: E402
import hivekit.dask as hkdask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = batch.local_cluster(2)  # the cluster of `--workers 2`
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    """A folder of hives as a fleet has them: several called NTUSER.DAT, a
    truncated one (strict read fails, salvage works), and a file that is no
    hive at all."""
    if not CORPUS or not os.path.isdir(CORPUS):
        pytest.skip("corpus absent")
    d = tmp_path_factory.mktemp("fleet")
    files = []
    for i, src in enumerate(["regipy/NTUSER.DAT.gz", "yarp/DeletedDataHive.gz",
                             "yarp/UnicodeHive.gz"]):
        os.makedirs(d / ("pc%d" % i))
        dst = d / ("pc%d" % i) / "NTUSER.DAT"
        shutil.copyfile(os.path.join(CORPUS, src), dst)  # gzip: hivekit reads it as it is
        files.append(str(dst))
    for src in ["yarp/TruncatedHive.gz", "regipy/SAM.gz", "hivex/special.gz"]:
        files.append(os.path.join(CORPUS, src))
    junk = d / "junk.dat"
    junk.write_bytes(b"not a hive" * 100)
    files.append(str(junk))
    return files


def cli_lines(cli, command, hive, salvage):
    args = [command, hive, "--format", "jsonl"] + (["--salvage"] if salvage else [])
    return cli(*args, check=False).stdout.splitlines(keepends=True)


@pytest.mark.parametrize("command", batch.COMMANDS)
def test_batch_parts_equal_cli(cli, client, fleet, tmp_path, command):
    out = tmp_path / command
    summary = batch.run(command, fleet, str(out), client)
    assert summary["hives"] == len(fleet)
    failed = [f["hive"] for f in summary["failed"]]
    assert failed == [fleet[-1]]  # the junk file, and nothing else
    assert "registry" in summary["failed"][0]["error"].lower()
    assert summary["ok"] == len(fleet) - 1
    assert json.loads((out / "summary.json").read_text()) == summary
    parts = sorted(p for p in os.listdir(out) if p.endswith(".jsonl"))
    assert len(parts) == len(fleet) - 1  # the three NTUSER.DAT each have their own part
    for i, hive in enumerate(fleet[:-1]):
        name = batch.part_name(i, hive)
        got = (out / name).read_bytes().splitlines(keepends=True)
        salvaged = "Truncated" in hive
        tail = (b',"salvaged":true' if salvaged else b"") + b',"hive":' + \
            records.json_string(hive).encode() + b"}\n"
        want = [line[:-2] + tail for line in cli_lines(cli, command, hive, salvaged)]
        assert got == want, (command, hive)
        assert len(got) > 0 or command == "deleted"


def test_local_cluster_config(client):
    """The workers of the batch's cluster run without the profiler and with
    the slower polls of batch.LOCAL_CONFIG."""
    import dask

    def config():
        return {k: dask.config.get(k) for k in batch.LOCAL_CONFIG}

    got = client.run(config)
    assert len(got) == 2
    assert all(c == batch.LOCAL_CONFIG for c in got.values())


def test_batch_same_path_twice(client, fleet, tmp_path):
    """A path given twice is two hives: two parts, counted twice."""
    out = tmp_path / "twice"
    hive = fleet[0]
    summary = batch.run("timeline", [hive, hive, fleet[-1], fleet[-1]], str(out), client)
    assert summary["hives"] == 4 and summary["ok"] == 2
    assert [f["hive"] for f in summary["failed"]] == [fleet[-1], fleet[-1]]
    a, b = (out / batch.part_name(i, hive) for i in (0, 1))
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 0
    assert sorted(os.listdir(out)) == [a.name, b.name, "summary.json"]


def test_chunk_size():
    """About four tasks per worker thread, at most 16 hives a task, at least one."""
    class Client:
        def __init__(self, threads):
            self.threads = threads

        def nthreads(self):
            return {"w%d" % i: t for i, t in enumerate(self.threads)}

    assert [batch.chunk_size(n, Client([1, 1])) for n in (0, 7, 8, 17, 64, 1000)] == \
        [1, 1, 1, 2, 8, 16]
    assert batch.chunk_size(100, Client([4])) == 6
    assert batch.chunk_size(100, Client([])) == 1


def test_batch_chunks(client, fleet, tmp_path):
    """More hives than tasks (2 workers, 19 hives: chunks of 2): every hive
    still has its part named by its index, each failure is its own hive's,
    and the order of the summary is the order given."""
    out = tmp_path / "chunks"
    hives = (fleet * 3)[:19]
    assert batch.chunk_size(len(hives), client) == 2
    summary = batch.run("timeline", hives, str(out), client)
    junk = fleet[-1]
    assert summary["hives"] == 19
    assert summary["failed"] == [{"hive": junk, "error": f["error"]} for f in summary["failed"]]
    assert len(summary["failed"]) == hives.count(junk)
    assert summary["ok"] == 19 - hives.count(junk)
    want = sorted([batch.part_name(i, h) for i, h in enumerate(hives) if h != junk] +
                  ["summary.json"])
    assert sorted(os.listdir(out)) == want
    first = fleet.index(fleet[0])
    assert (out / batch.part_name(first, fleet[0])).read_bytes() == \
        (out / batch.part_name(first + len(fleet), fleet[0])).read_bytes()


def test_batch_command_line(fleet, tmp_path):
    env = dict(os.environ)
    out = tmp_path / "cmd"
    r = subprocess.run([sys.executable, "-m", "hivekit.batch", "timeline", "--out", str(out),
                        "--workers", "2"] + fleet[:2], capture_output=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "summary.json").read_text()) == {"hives": 2, "ok": 2, "failed": []}
    assert sorted(os.listdir(out)) == ["000000-NTUSER.DAT.jsonl", "000001-NTUSER.DAT.jsonl",
                                       "summary.json"]


def test_read_hives_bag(client, fleet):
    bag = hkdask.read_hives(fleet, what="values")
    got = bag.compute()
    want = []
    for hive in fleet[:-1]:
        want.extend(records.read_hive(hive, "values")[0])
    errors = [r for r in got if r["type"] == "error"]
    assert [e["hive"] for e in errors] == [fleet[-1]]
    assert [r for r in got if r["type"] != "error"] == want
    keys = hkdask.read_hives(fleet[:2], what="keys").filter(lambda r: r["type"] == "key").count()
    assert keys.compute() == sum(len(records.read_hive(h, "keys")[0]) for h in fleet[:2])
    with pytest.raises(ValueError):
        hkdask.read_hives(fleet, what="bogus")
