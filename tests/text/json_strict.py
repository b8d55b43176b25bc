#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every JSON document and JSON line hivekit writes parses with Python's
json and holds only text a strict parser accepts (no lone surrogate: a
name that is not valid UTF-16 is U+FFFD with its units in *_utf16_hex), on
every corpus hive (plain or gzip) and on the hives given after '--'. The
nested JSON export and the JSON lines use one schema: the same fields for a
key and for a value. A hive crafted here (control characters and unpaired
surrogates in key names, value names and data, built from a UTF-16 .reg)
is always checked, and there every *_utf16_hex twin must give back the
exact name or path. Without the corpus only the crafted hive and the hives
given are checked.

usage: json_strict.py HIVEKIT CORPUS_DIR [-- HIVE...]"""
import json
import os
import subprocess
import sys
import tempfile

# The crafted hive: every key and value name, as stored (lone surrogates
# included), and the paths below the root.
CRAFTED_KEYS = ["Bad\x1b[2J\x7f", "Bad\x1b[2J\x7f\\lone\udfff",
                "Bad\x1b[2J\x7f\\lone\udfff\\deeper\ud800\ud800"]
CRAFTED_REG = ("Windows Registry Editor Version 5.00\r\n\r\n"
               "[HKEY_LOCAL_MACHINE\\Crafted]\r\n"
               "\"ctl\x01\x1b[31m\"=\"a\x07b\x1bc\"\r\n"
               "\"sur\ud800\"=\"x\udc00y\"\r\n\r\n"
               f"[HKEY_LOCAL_MACHINE\\Crafted\\{CRAFTED_KEYS[0]}]\r\n"
               "@=hex(7):41,00,00,d8,00,00,00,00\r\n\r\n"
               f"[HKEY_LOCAL_MACHINE\\Crafted\\{CRAFTED_KEYS[1]}]\r\n\r\n"
               f"[HKEY_LOCAL_MACHINE\\Crafted\\{CRAFTED_KEYS[2]}]\r\n"
               "\"n\ud83d\"=dword:00000001\r\n")
CRAFTED_NAMES = {"Crafted", "ctl\x01\x1b[31m", "sur\ud800", "", "lone\udfff",
                 "deeper\ud800\ud800", "n\ud83d"} | {k.split("\\")[0] for k in CRAFTED_KEYS}


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


def twins(obj, found):
    """Each FIELD with a FIELD_utf16_hex twin: the twin's exact text (lone
    surrogates kept) into found[FIELD], after checking that FIELD shows it
    with U+FFFD where it is not valid UTF-16."""
    if isinstance(obj, list):
        for v in obj:
            twins(v, found)
        return
    if not isinstance(obj, dict):
        return
    for k, v in obj.items():
        if k.endswith("_utf16_hex"):
            field = k[:-len("_utf16_hex")]
            exact = bytes.fromhex(v).decode("utf-16-le", "surrogatepass")
            shown = exact.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
            if obj.get(field) != shown:
                raise SystemExit(f"{field}: {obj.get(field)!r} does not show twin {exact!r}")
            found.setdefault(field, set()).add(exact)
        else:
            twins(v, found)


def check_hive(hivekit, hive, found=None, extra=()):
    lines = 0
    line_fields = {}
    for args in [["export", hive, "--format", "jsonl"], ["timeline", hive, "--format", "jsonl"],
                 ["deleted", hive, "--format", "jsonl"], ["info", hive, "--json"]] + list(extra):
        out = run(hivekit, args)
        if out is None:
            continue
        for n, line in enumerate(out.splitlines(), 1):
            obj = parse(line, f"{' '.join(args)}: line {n}")
            lines += 1
            if found is not None:
                twins(obj, found)
            if args[0] == "export":
                line_fields.setdefault(obj["type"], set()).update(obj)
    out = run(hivekit, ["export", hive, "--format", "json"])
    if out is not None:
        doc = parse(out, f"export {hive} --format json")
        if found is not None:
            twins(doc, found)
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


def check_crafted(hivekit):
    """The crafted hive: strict everywhere, and the twins give back every
    name and path that is not valid UTF-16, exactly."""
    with tempfile.TemporaryDirectory() as tmp:
        reg, hive = os.path.join(tmp, "crafted.reg"), os.path.join(tmp, "crafted.hive")
        with open(reg, "wb") as f:
            f.write(b"\xff\xfe" + CRAFTED_REG.encode("utf-16-le", "surrogatepass"))
        p = subprocess.run([hivekit, "build", "-o", hive, reg], stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise SystemExit(f"cannot build the crafted hive: {p.stderr!r}")
        found = {}
        lines = check_hive(hivekit, hive, found,
                           [["query", hive, "-s", "--format", "jsonl"]])
    lossy = lambda t: t.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace") != t
    want_names = {n for n in CRAFTED_NAMES if lossy(n)}
    want_paths = {k for k in CRAFTED_KEYS if lossy(k)}
    if found.get("name") != want_names:
        raise SystemExit(f"name twins {found.get('name')!r}, expected {want_names!r}")
    if found.get("path") != want_paths:
        raise SystemExit(f"path twins {found.get('path')!r}, expected {want_paths!r}")
    return lines


def main():
    hivekit, corpus = sys.argv[1], sys.argv[2]
    extra = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    total = check_crafted(hivekit)
    hives = []
    if os.path.isdir(corpus):
        for root, _, files in os.walk(corpus):
            for f in sorted(files):
                if f.endswith((".md", ".json")) or ".LOG" in f.upper():
                    continue
                hives.append(os.path.join(root, f))
    else:
        print(f"{corpus}: no corpus: the crafted and given hives only")
    for hive in sorted(hives) + extra:
        total += check_hive(hivekit, hive)
    print(f"{len(hives) + len(extra) + 1} hives, {total} JSON documents and lines: all strict")
    return 0


if __name__ == "__main__":
    sys.exit(main())
