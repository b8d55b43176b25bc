# SPDX-License-Identifier: LGPL-2.1-or-later
"""Records as the CLI writes them: one JSON object per line, byte for byte
as ``hivekit export --format jsonl``, ``timeline --format jsonl`` and
``deleted --format jsonl`` print them (field order, escaping, numbers)."""

import re

# The CLI escapes '"', '\\', control characters as \\u00xx and lone
# surrogates as \\udxxx; everything else is written as UTF-8.
_ESCAPE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')


def _escape_one(m):
    c = m.group(0)
    if c == '"' or c == "\\":
        return "\\" + c
    return "\\u%04x" % ord(c)


def json_string(s):
    return '"' + _ESCAPE.sub(_escape_one, s) + '"'


def _value(v):
    if isinstance(v, str):
        return json_string(v)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ",".join(_value(x) for x in v) + "]"
    raise TypeError("no JSON form for %r" % (v,))


def json_line(record):
    """One record (a dict in the CLI's field order) as its line, with the
    newline."""
    return "{" + ",".join(json_string(k) + ":" + _value(v)
                          for k, v in record.items()) + "}\n"


def encode_line(record):
    """json_line as bytes (lone surrogates are escaped, so UTF-8 holds)."""
    return json_line(record).encode("utf-8")


def _path_bytes(path):
    return path.encode("utf-8", "surrogatepass")


def timeline(key_records):
    """Timeline entries from key records, in the CLI's order: by last-write
    time, then by path (UTF-8 bytes)."""
    from . import _hivekit
    keys = sorted((k for k in key_records if k.type == "key"),
                  key=lambda k: (k.last_write, _path_bytes(k.path)))
    return [{"path": k.path, "name": k.name, "last_write": k.last_write,
             "last_write_utc": _hivekit._filetime_iso(k.last_write)} for k in keys]


def as_dict(rec):
    """A record of Hive.walk() (KeyRecord or ValueRecord) as the dict of its
    jsonl line, fields in the CLI's order."""
    from . import _hivekit
    if rec.type == "key":
        d = {"type": "key", "path": rec.path, "name": rec.name, "last_write": rec.last_write,
             "last_write_utc": _hivekit._filetime_iso(rec.last_write),
             "subkeys": rec.subkeys, "values": rec.values}
        if rec.class_name is not None:
            d["class"] = rec.class_name
        return d
    d = {"type": "value", "path": rec.path, "name": rec.name, "reg_type": rec.reg_type,
         "type_name": _hivekit._type_name(rec.reg_type), "size": rec.size,
         "data_hex": rec.raw.hex()}
    data = _hivekit._decode(rec.raw, rec.reg_type)
    if data is not None:
        d["data"] = data
    return d


# What each kind of run reads: the CLI command whose jsonl records it gives.
KINDS = ("export", "values", "keys", "timeline", "deleted")


def hive_records(path, kind, salvage=False):
    """The records of one hive as a list of dicts, as the CLI prints them:
    export (`hivekit export --format jsonl`: keys and values), values or
    keys (the export's lines of that type), timeline (`hivekit timeline
    --format jsonl`), deleted (`hivekit deleted --format jsonl`). salvage
    as the CLI's --salvage. Raises OSError when the hive cannot be read."""
    from . import Hive
    if kind not in KINDS:
        raise ValueError("unknown kind %r (%s)" % (kind, ", ".join(KINDS)))
    with Hive(path, salvage=salvage) as h:
        if kind == "timeline":
            return h.timeline()
        if kind == "deleted":
            return h.deleted()
        if kind == "keys":
            return [as_dict(r) for r in h.keys()]
        recs = [as_dict(r) for r in h.walk()]
        if kind == "values":
            recs = [r for r in recs if r["type"] == "value"]
        return recs


def write_export(path, out):
    """The batch's export part of one hive written to the file out: the
    lines of `hivekit export --format jsonl`, each with "hive": path (and
    before it "salvaged": true when only a salvage read opened it), made
    and written in C. Returns (lines, salvaged); raises OSError when even
    salvage fails."""
    from . import Hive, _hivekit
    path = str(path)
    hive = ',"hive":' + json_string(path)
    for salvage in (False, True):
        suffix = ((',"salvaged":true' if salvage else "") + hive).encode("utf-8")
        try:
            with Hive(path, salvage=salvage) as h, open(out, "wb") as f:
                return _hivekit._jsonl(h._core, salvage, suffix, f.fileno()), salvage
        except OSError:
            if salvage:
                raise
    raise AssertionError("not reached")


def read_hive(path, kind):
    """hive_records with the batch rule: a strict read first; a hive that
    fails it is read again with salvage and its records get
    "salvaged": true. Every record gets "hive": path (last). Returns
    (records, salvaged); raises OSError when even salvage fails."""
    path = str(path)
    try:
        recs, salvaged = hive_records(path, kind), False
    except OSError:
        recs, salvaged = hive_records(path, kind, salvage=True), True
    for r in recs:
        if salvaged:
            r["salvaged"] = True
        r["hive"] = path
    return recs, salvaged
