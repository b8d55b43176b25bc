# SPDX-License-Identifier: LGPL-2.1-or-later
import gzip
import os
import shutil
import subprocess

import pytest

import hivekit
from hivekit import winreg

CORPUS = os.environ.get("HIVEKIT_CORPUS", "")


def corpus_file(rel):
    """A corpus hive inflated into a temp file's bytes, or a skip."""
    path = os.path.join(CORPUS, rel)
    if not CORPUS or not os.path.exists(path):
        pytest.skip("corpus absent: " + rel)
    return path


def inflate(src, dst):
    with gzip.open(src, "rb") as f, open(dst, "wb") as g:
        shutil.copyfileobj(f, g)
    return dst


@pytest.fixture
def cli():
    path = os.environ.get("HIVEKIT_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("HIVEKIT_CLI not set (run through meson test)")

    def run(*args, check=True):
        return subprocess.run([path] + [os.fspath(a) for a in args], capture_output=True,
                              check=check)
    return run


SPEC = """Windows Registry Editor Version 5.00

[HKEY_CURRENT_USER\\Test]
@="root default"
"""


@pytest.fixture
def hive_path(tmp_path):
    """A small writable hive file built from .reg text."""
    p = tmp_path / "test.hive"
    p.write_bytes(hivekit.build(SPEC))
    return p


@pytest.fixture
def root(hive_path):
    """The writable root key of hive_path (as a winreg script's key)."""
    key = winreg.OpenHive(hive_path, writable=True)
    yield key
    key.Close()


# ---- fake Windows volumes: the namespace issue's fixtures (tests/registry) ----

SID_ALICE = "S-1-5-21-1-2-3-1001"
SID_BOB = "S-1-5-21-1-2-3-1002"
VOLUME_FILES = [  # spec, root name, path in the volume (mixed case on purpose), links
    ("system.reg", "SYSTEM", "WINDOWS/system32/CONFIG/System", False),
    ("software.reg", "SOFTWARE", "WINDOWS/system32/CONFIG/Software", True),
    ("default.reg", ".DEFAULT", "WINDOWS/system32/CONFIG/default", False),
    ("alice.reg", "ROOT", "users/Alice/ntuser.dat", False),
    ("alice_classes.reg", "ROOT", "users/Alice/AppData/Local/Microsoft/Windows/UsrClass.DAT", False),
    ("bob.reg", "ROOT", "users/bob/NTUSER.DAT", False),
]


def make_volume(folder):
    """The volume tests/registry/volume.c builds, built from Python: the
    same .reg fixtures, link keys and clock."""
    from hivekit import _hivekit
    src = os.path.join(os.environ.get("HIVEKIT_SOURCE", ""), "tests", "registry")
    if not os.path.isdir(src):
        pytest.skip("HIVEKIT_SOURCE not set (run through meson test)")
    for spec, root_name, rel, links in VOLUME_FILES:
        with open(os.path.join(src, spec), "rb") as f:
            text = f.read()
        core = _hivekit._create(5, root_name)
        core.set_clock(133000000000000000)
        root = core.root()
        _hivekit._import_reg(root, text)
        if links:
            _hivekit._create_link(root, "LinkToServices",
                                  "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services")
            _hivekit._create_link(root, "LoopA", "\\REGISTRY\\MACHINE\\SOFTWARE\\LoopB")
            _hivekit._create_link(root, "LoopB", "\\REGISTRY\\MACHINE\\SOFTWARE\\LoopA")
            _hivekit._create_link(root, "LinkToAlice", "\\Registry\\User\\%s\\Software" % SID_ALICE)
        root.Close()
        out = os.path.join(folder, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        core.save(out, True)
        core.close()
    return str(folder)


@pytest.fixture
def volume(tmp_path):
    path = make_volume(tmp_path / "C")
    yield path
    winreg.use(None)
