# SPDX-License-Identifier: LGPL-2.1-or-later
"""hivekit: Windows registry hive files on any OS.

- ``hivekit.Hive``: one hive file (or bytes) for file-level work: walk,
  export, deleted records, check, timeline, recovery.
- ``hivekit.build(reg_text)``: a hive built from .reg text, as bytes.
- ``hivekit.winreg``: a drop-in for Python's winreg against offline images.
- ``hivekit.dask`` and ``python3 -m hivekit.batch``: many hives at once.

Distribution name: hivekit-registry (the import name is hivekit).
"""

import os as _os
import tempfile as _tempfile

from . import _hivekit
from . import records as _records
from ._hivekit import KeyRecord, ValueRecord  # noqa: F401

__all__ = ["Hive", "build", "DISTRIBUTION", "__version__"]

DISTRIBUTION = "hivekit-registry"
__version__ = _hivekit.library_version

_FORMATS = {"reg": (1, 0), "reg4": (2, 0), "json": (3, 0)}
_ENCODINGS = {None: 0, "utf-16le": 1, "utf-8": 2, "cp1252": 3}


class Hive:
    """An open hive: Hive(path_or_bytes, logs=None, salvage=False,
    writable=False, no_logs=False).

    path_or_bytes is a file path (plain or gzip; dirty hives are replayed
    from the logs beside it, or from logs=[paths]) or a bytes-like image.
    salvage opens a damaged file from its intact bins; writable allows
    edits (through winreg functions on .root) that save() writes.
    """

    def __init__(self, path_or_bytes, logs=None, salvage=False, writable=False,
                 no_logs=False):
        memory = isinstance(path_or_bytes, (bytes, bytearray, memoryview))
        self.path = None if memory else _os.fspath(path_or_bytes)
        self.salvage = bool(salvage)
        self.warnings = []
        self._logs = list(logs) if logs is not None else None
        self._core = _hivekit._open(path_or_bytes if memory else self.path, logs=self._logs,
                                    salvage=salvage, writable=writable, no_logs=no_logs,
                                    memory=memory)

    # context manager and lifetime
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Releases the hive; keys still open keep it alive until closed."""
        self._core.close()

    @property
    def closed(self):
        return self._core.closed

    @property
    def root(self):
        """A new winreg handle (PyHKEY) on the root key: use it with the
        hivekit.winreg functions, and close it (or use it in a with)."""
        return self._core.root()

    @property
    def info(self):
        """The base block, log and salvage facts as a dict."""
        return self._core.info()

    def walk(self, as_dict=False):
        """Every key and value, in the order of `hivekit export --format
        jsonl` (a key, its values, its subkeys), as light records
        (KeyRecord: type, path, name, last_write, subkeys, values,
        class_name; ValueRecord: type, path, name, reg_type, size, raw), or
        with as_dict=True as the dicts of the jsonl lines. An iterator, read
        by one thread at a time (as a generator: another thread gets
        ValueError while one is inside it). A salvage open skips subkeys
        that cannot be read; .warnings says which."""
        if as_dict:
            return (_records.as_dict(r) for r in self._records(False))
        return self._records(False)

    def keys(self):
        """Key records only (no values), as the timeline walks them."""
        return self._records(True)

    def _records(self, keys_only):
        # the C iterator hands out the records itself (no generator frame
        # per record)
        it = _hivekit._walk(self._core, self.salvage, keys_only)
        self.warnings = it.warnings
        return it

    def export(self, fmt="reg", encoding=None, prefix=None):
        """The whole hive as `hivekit export --format FMT` writes it (bytes):
        reg (UTF-16LE, BOM), reg4, json, or jsonl."""
        if fmt == "jsonl":
            return _hivekit._jsonl(self._core, self.salvage, b"")
        if fmt not in _FORMATS:
            raise ValueError("unknown format %r (reg, reg4, json, jsonl)" % (fmt,))
        if encoding not in _ENCODINGS:
            raise ValueError("unknown encoding %r" % (encoding,))
        with self.root as root:
            return _hivekit._export(root, _FORMATS[fmt][0], _ENCODINGS[encoding], prefix)

    def deleted(self):
        """Deleted keys and values found in free cells and slack, as
        `hivekit deleted --format jsonl` records."""
        return _hivekit._deleted(self._core)

    def check(self):
        """Every rule of the format verified: {"errors": N, "warnings": N,
        "findings": [{"severity", "file_offset", "rule", "message"}]}."""
        findings, errors, warnings = _hivekit._check(self._core)
        return {"errors": errors, "warnings": warnings, "findings": findings}

    def timeline(self):
        """Keys by last-write time, as `hivekit timeline --format jsonl`."""
        return _records.timeline(self.keys())

    def recover(self, out, overwrite=False):
        """Writes the hive with its logs replayed to out (the file as Windows
        leaves it after recovery)."""
        if self.path is None:
            raise ValueError("recover needs a hive opened from a file")
        _hivekit._recover(self.path, _os.fspath(out), overwrite)

    def save(self, path=None, overwrite=False):
        """Writes the hive (atomically) to path, or back to its own file
        when opened writable and path is None."""
        if path is None:
            self._core.save()
        else:
            self._core.save(_os.fspath(path), overwrite)

    def set_clock(self, filetime):
        """Fixes the last-write time of edits (FILETIME; 0: back to
        SOURCE_DATE_EPOCH or the system time)."""
        self._core.set_clock(filetime)


def build(reg_text, root_name=None, version="1.5"):
    """A hive built from .reg text (str or bytes) as `hivekit build` builds
    it: the first key line's last name is the root (ROOT for a bare
    predefined key) and every key of the text goes below it. Returns the
    hive file's bytes."""
    text = reg_text.encode("utf-8") if isinstance(reg_text, str) else bytes(reg_text)
    major, _, minor = version.partition(".")
    if major != "1" or not minor.isdigit():
        raise ValueError("version must be 1.3 or 1.5")
    if root_name is None:
        first = _hivekit._reg_first_key(text)
        root_name = first.rsplit("\\", 1)[1] if "\\" in first else "ROOT"
    core = _hivekit._create(int(minor), root_name)
    try:
        root = core.root()
        try:
            _import_reg(root, text)
        finally:
            root.Close()
        with _tempfile.TemporaryDirectory(prefix="hivekit-build-") as d:
            out = _os.path.join(d, "built.hive")
            core.save(out, False)
            with open(out, "rb") as f:
                return f.read()
    finally:
        core.close()


def _import_reg(root, text):
    _hivekit._import_reg(root, text)
