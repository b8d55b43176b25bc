#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every JSON document and JSON line hivekit writes parses with Python's
json and holds only text a strict parser accepts (no lone surrogate: a
name that is not valid UTF-16 is U+FFFD with its units in *_utf16_hex), on
every corpus hive (plain or gzip) and on the hives given after '--'. The
nested JSON export and the JSON lines use one schema: the same fields for a
key and for a value. Exit 77 (skip) when the corpus is absent.

usage: json_strict.py HIVEKIT CORPUS_DIR [-- HIVE...]"""
import json
import os
import subprocess
import sys


def strict(obj, where):
    """Every string of obj encodes as UTF-8 (no lone surrogate)."""
    if isinstance(obj, str):
        try:
            obj.encode("utf-8")
        except UnicodeEncodeError as e:
            raise SystemExit(f"{where}: a lone surrogate in {obj!r}: {e}")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            strict(k, where)
            strict(v, where)
    elif isinstance(obj, list):
        for v in obj:
            strict(v, where)


def reject_constant(name):
    raise ValueError(f"not JSON: {name}")


def parse(text, where):
    try:
        obj = json.loads(text, parse_constant=reject_constant)
    except ValueError as e:
        raise SystemExit(f"{where}: {e}")
    strict(obj, where)
    return obj


def run(hivekit, args):
    p = subprocess.run([hivekit] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        return None  # a hive this command cannot read: its error is tested elsewhere
    return p.stdout.decode("utf-8", errors="strict")


def walk(key, fields):
    fields.setdefault("key", set()).update(k for k in key if k not in ("values", "subkeys"))
    for v in key.get("values", []):
        fields.setdefault("value", set()).update(v)
    for k in key.get("subkeys", []):
        walk(k, fields)


def check_hive(hivekit, hive):
    lines = 0
    line_fields = {}
    for args in (["export", hive, "--format", "jsonl"], ["timeline", hive, "--format", "jsonl"],
                 ["deleted", hive, "--format", "jsonl"], ["info", hive, "--json"]):
        out = run(hivekit, args)
        if out is None:
            continue
        for n, line in enumerate(out.splitlines(), 1):
            obj = parse(line, f"{' '.join(args)}: line {n}")
            lines += 1
            if args[0] == "export":
                line_fields.setdefault(obj["type"], set()).update(obj)
    out = run(hivekit, ["export", hive, "--format", "json"])
    if out is not None:
        doc = parse(out, f"export {hive} --format json")
        json_fields = {}
        walk(doc["root"], json_fields)
        # the nested document's fields are the lines' (less where a line
        # says where it is and how many it has)
        for kind, names in json_fields.items():
            extra = names - line_fields.get(kind, set())
            if extra:
                raise SystemExit(f"{hive}: json {kind} fields not in jsonl: {sorted(extra)}")
        lines += 1
    return lines


def main():
    hivekit, corpus = sys.argv[1], sys.argv[2]
    extra = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    if not os.path.isdir(corpus):
        print(f"{corpus}: no corpus: skipped")
        return 77
    hives = []
    for root, _, files in os.walk(corpus):
        for f in sorted(files):
            if f.endswith((".md", ".json")) or ".LOG" in f.upper():
                continue
            hives.append(os.path.join(root, f))
    total = 0
    for hive in sorted(hives) + extra:
        total += check_hive(hivekit, hive)
    print(f"{len(hives) + len(extra)} hives, {total} JSON documents and lines: all strict")
    return 0


if __name__ == "__main__":
    sys.exit(main())
