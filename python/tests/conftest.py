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
