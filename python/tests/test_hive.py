# SPDX-License-Identifier: LGPL-2.1-or-later
"""hivekit.Hive against the CLI on every corpus hive: the same records,
byte for byte (walk/export jsonl, timeline, deleted), the same .reg and JSON
exports, the same recovered file."""
import errno
import glob
import json
import os

import pytest

import hivekit
from hivekit import records, winreg

from conftest import CORPUS


def corpus_hives():
    if not CORPUS or not os.path.isdir(CORPUS):
        return []
    found = sorted(glob.glob(os.path.join(CORPUS, "**", "*.gz"), recursive=True))
    return [p for p in found if ".LOG" not in p and "Carving" not in p]


HIVES = corpus_hives()


def needs_corpus():
    if not HIVES:
        pytest.skip("corpus absent")


def lines(recs):
    return b"".join(records.encode_line(r) for r in recs)


def strict_or_salvage(cli, *args):
    """The CLI's output, strict when it succeeds, else with --salvage."""
    r = cli(*args, check=False)
    if r.returncode == 0:
        return r.stdout, False
    return cli(*(args + ("--salvage",)), check=False).stdout, True


@pytest.mark.parametrize("hive", HIVES or [None], ids=lambda p: p and os.path.relpath(p, CORPUS))
def test_records_equal_cli(cli, hive):
    needs_corpus()
    for kind, args in (("export", ("export", hive, "--format", "jsonl")),
                       ("timeline", ("timeline", hive, "--format", "jsonl")),
                       ("deleted", ("deleted", hive, "--format", "jsonl"))):
        want, salvaged = strict_or_salvage(cli, *args)
        try:
            got = lines(records.hive_records(hive, kind, salvage=salvaged))
        except OSError:
            # The CLI failed too (with partial output): nothing to compare.
            assert cli(*args, "--salvage", check=False).returncode != 0 if kind != "deleted" \
                or salvaged else cli(*args, check=False).returncode != 0
            continue
        assert got == want, (kind, salvaged)


@pytest.mark.parametrize("fmt", ["reg", "reg4", "json"])
def test_export_formats_equal_cli(cli, fmt):
    needs_corpus()
    for hive in HIVES:
        r = cli("export", hive, "--format", fmt, check=False)
        try:
            with hivekit.Hive(hive) as h:
                got = h.export(fmt)
        except OSError:
            assert r.returncode != 0, hive
            continue
        assert r.returncode == 0 and got == r.stdout, hive


def test_walk_records_and_dicts():
    spec = ('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\R]\r\n'
            '"s"="text"\r\n"d"=dword:00000010\r\n"b"=hex:01,02\r\n\r\n[HKEY_CURRENT_USER\\R\\C]\r\n')
    with hivekit.Hive(hivekit.build(spec)) as h:
        recs = list(h.walk())
        assert [(r.type, r.path, r.name) for r in recs] == [
            ("key", "", "R"), ("value", "", "s"), ("value", "", "d"), ("value", "", "b"),
            ("key", "C", "C")]
        assert recs[3].raw == b"\x01\x02" and recs[3].reg_type == winreg.REG_BINARY
        dicts = list(h.walk(as_dict=True))
        assert dicts[1] == {"type": "value", "path": "", "name": "s", "reg_type": 1,
                            "type_name": "REG_SZ", "size": 10, "data_hex": "74006500780074000000",
                            "data": "text"}
        assert "data" not in dicts[3] and dicts[2]["data"] == 16
        assert json.loads(h.export("json"))  # one JSON document


def test_context_manager_and_info(tmp_path):
    p = tmp_path / "h.hive"
    p.write_bytes(hivekit.build("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\I]\r\n"))
    with hivekit.Hive(p) as h:
        info = h.info
        assert (info["major_version"], info["minor_version"]) == (1, 5)
        assert info["checksum_ok"] and not info["dirty"]
        root = h.root
    assert h.closed
    assert winreg.QueryInfoKey(root)[:2] == (0, 0)  # the key outlives the Hive
    root.Close()
    with pytest.raises(ValueError):
        h.root


def test_save_after_edits(tmp_path):
    p = tmp_path / "e.hive"
    p.write_bytes(hivekit.build("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\E]\r\n"))
    with hivekit.Hive(p, writable=True) as h:
        with h.root as root, winreg.CreateKey(root, "New") as k:
            winreg.SetValueEx(k, "v", 0, winreg.REG_SZ, "x")
        h.save(tmp_path / "copy.hive")
        h.save()
    for f in (p, tmp_path / "copy.hive"):
        with winreg.OpenHive(f) as root:
            assert winreg.QueryValue(root, "New") == "" and winreg.EnumKey(root, 0) == "New"


def test_check_counts_equal_cli(cli):
    needs_corpus()
    for hive in HIVES[:12]:
        try:
            with hivekit.Hive(hive) as h:
                c = h.check()
        except OSError:
            continue
        r = cli("check", hive, check=False)
        assert (r.returncode == 1) == (c["errors"] > 0), hive
        assert c["errors"] == sum(f["severity"] == "error" for f in c["findings"])


def test_recover_equals_cli(cli, tmp_path):
    needs_corpus()
    src = os.path.join(CORPUS, "yarp", "NewDirtyHive1")
    from conftest import inflate
    for name in ("NewDirtyHive", "NewDirtyHive.LOG1", "NewDirtyHive.LOG2"):
        inflate(os.path.join(src, name + ".gz"), tmp_path / name)
    with hivekit.Hive(tmp_path / "NewDirtyHive") as h:
        assert h.info["dirty_at_open"] and h.info["logs_replayed"] >= 1
        h.recover(tmp_path / "py.hive")
    cli("recover", tmp_path / "NewDirtyHive", "-o", tmp_path / "cli.hive")
    assert (tmp_path / "py.hive").read_bytes() == (tmp_path / "cli.hive").read_bytes()


def test_salvage_open_of_a_truncated_hive():
    needs_corpus()
    path = os.path.join(CORPUS, "yarp", "TruncatedHive.gz")
    with pytest.raises(OSError):
        list(hivekit.Hive(path).walk())
    with hivekit.Hive(path, salvage=True) as h:
        assert len(list(h.walk())) > 0
        assert h.info["salvage_note"] != ""


def test_export_jsonl_equals_cli(cli, tmp_path):
    """Hive.export("jsonl") is made in C as the CLI makes it, byte for byte:
    the corpus hives, and names the JSON text cannot carry exactly (a lone
    surrogate shows as U+FFFD, its UTF-16 units in "name_utf16_hex")."""
    p = tmp_path / "odd.hive"
    p.write_bytes(hivekit.build("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\O]\r\n"))
    with winreg.OpenHive(p, writable=True) as root:
        with winreg.CreateKey(root, "k\udc81\"x") as k:
            winreg.SetValueEx(k, "a\udc80\x01b", 0, winreg.REG_MULTI_SZ, ["\u00e9", "\ud83d\ude00"])
        winreg.SetValueEx(root, "q", 0, winreg.REG_QWORD, 2 ** 40)
        winreg.FlushKey(root)
    hives = [str(p)] + (HIVES if CORPUS and os.path.isdir(CORPUS) else [])
    for hive in hives:
        want, salvaged = strict_or_salvage(cli, "export", hive, "--format", "jsonl")
        try:
            with hivekit.Hive(hive, salvage=salvaged) as h:
                got = h.export("jsonl")
        except OSError:
            assert cli("export", hive, "--format", "jsonl", "--salvage", check=False).returncode
            continue
        assert got == want, hive
    odd = hivekit.Hive(str(p)).export("jsonl").decode("utf-8").splitlines()
    assert '"name":"k\\ufffd\\"x","name_utf16_hex":"6b0081dc22007800"' in odd[2]
    assert odd[3].startswith('{"type":"value","path":"k\\ufffd\\"x","path_utf16_hex":'
                             '"6b0081dc22007800","name":"a\\ufffd\\u0001b",'
                             '"name_utf16_hex":"610080dc01006200","reg_type":7,')
    assert odd[3].endswith(',"data":["\u00e9","\U0001f600"]}')


def test_export_part_equals_cli_with_fields(cli, tmp_path):
    """The batch's export part (records.write_export, written to a file in
    C) is the CLI's jsonl export with ',"hive":path' (after
    ',"salvaged":true' when only a salvage read works) before each line's
    "}"; a write that fails is an OSError with its errno."""
    needs_corpus()
    seen = set()
    for hive in HIVES:
        want, salvaged = strict_or_salvage(cli, "export", hive, "--format", "jsonl")
        if not want:
            continue
        out = tmp_path / "part.jsonl"
        lines, got_salvaged = records.write_export(hive, out)
        tail = (b',"salvaged":true' if salvaged else b"") + b',"hive":' + \
            json.dumps(hive).encode("utf-8") + b"}\n"
        expect = b"".join(line[:-2] + tail for line in want.splitlines(keepends=True))
        assert (lines, got_salvaged) == (want.count(b"\n"), salvaged), hive
        assert out.read_bytes() == expect, hive
        seen.add(salvaged)
    assert seen == {False, True}
    if os.path.exists("/dev/full"):
        with pytest.raises(OSError) as e:
            records.write_export(HIVES[0], "/dev/full")
        assert e.value.errno == errno.ENOSPC


def test_strict_walk_hands_out_records_before_a_failure(cli):
    """A strict walk that meets a corrupt key gives the records read before
    it (the lines the CLI prints before failing), then raises the CLI's
    detail."""
    needs_corpus()
    failing = 0
    for hive in HIVES:
        r = cli("export", hive, "--format", "jsonl", check=False)
        if r.returncode == 0:
            continue
        failing += 1
        got = []
        with pytest.raises(OSError) as e:
            with hivekit.Hive(hive) as h:
                for rec in h.walk():
                    got.append(rec)
        assert lines(records.as_dict(x) for x in got) == r.stdout, hive
        detail = r.stderr.decode().split(": ", 2)[2].split(" (the hive is corrupt")[0]
        detail = detail.split(" (try --salvage)")[0]
        assert detail in str(e.value), hive
    assert failing >= 2  # BadListHive and WrongOrderHive fail after three lines


def test_one_walk_read_by_several_threads():
    """Threads sharing one walk each get records or, while another thread
    is inside it, ValueError (as a generator): every record is handed out
    exactly once, and nothing is lost or read half-made."""
    import collections
    import threading
    spec = ["Windows Registry Editor Version 5.00", "", "[HKEY_CURRENT_USER\\T]"]
    for i in range(1000):
        data_hex = ",".join(["%02x" % (i & 255)] * 4000)
        spec += ["[HKEY_CURRENT_USER\\T\\K%03d]" % i, '"v"=hex:' + data_hex, '"w"="%d"' % i]
    data = hivekit.build("\r\n".join(spec) + "\r\n")
    with hivekit.Hive(data) as h:
        want = collections.Counter(tuple(r) for r in h.walk())
        it = h.walk()
        got, busy = [], [0]
        lock = threading.Lock()

        def reader():
            while True:
                try:
                    r = next(it)
                except StopIteration:
                    return
                except ValueError:
                    with lock:
                        busy[0] += 1
                    continue
                with lock:
                    got.append(tuple(r))

        threads = [threading.Thread(target=reader) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    # Whether another thread arrives while one is inside (busy[0] > 0) is up
    # to the scheduler: usually thousands of times, none on a loaded machine.
    assert collections.Counter(got) == want and len(got) == 1 + 1000 * 3


def test_walk_records_are_light_tuples():
    """KeyRecord and ValueRecord behave as struct sequences (index, len,
    repr, equality, pickling), made without the cycle collector's
    tracking (they hold str, int, bytes and None only)."""
    import gc
    import pickle
    spec = ('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\R]\r\n'
            '"v"=hex(0):\r\n')
    with hivekit.Hive(hivekit.build(spec)) as h:
        key, value = list(h.walk())
    assert type(key) is hivekit.KeyRecord and type(value) is hivekit.ValueRecord
    assert len(key) == 7 and key[0] == "key" and key[2] == "R" and key[-1] is None
    assert tuple(value) == ("value", "", "v", 0, 0, b"")
    assert value == ("value", "", "v", 0, 0, b"") and value.raw == b""
    assert repr(value) == "hivekit.ValueRecord(type='value', path='', name='v', reg_type=0, " \
                          "size=0, raw=b'')"
    assert pickle.loads(pickle.dumps(key)) == key
    assert not gc.is_tracked(key) and not gc.is_tracked(value)
