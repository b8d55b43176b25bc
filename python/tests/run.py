# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs the pytest suite for `meson test`: exit 77 (skip) when pytest is
missing and the tests are optional, and no collected test is a failure.
(Guarded: Dask's worker processes start by importing this main module.)"""
import os
import sys


def main():
    try:
        import pytest
    except ImportError:
        print("pytest is not installed (Debian: python3-pytest)")
        return 1 if os.environ.get("HIVEKIT_TESTS_REQUIRED") == "1" else 77
    rc = pytest.main(["-q", "-p", "no:cacheprovider",
                      os.path.dirname(os.path.abspath(__file__))] + sys.argv[1:])
    return 1 if rc == pytest.ExitCode.NO_TESTS_COLLECTED else int(rc)


if __name__ == "__main__":
    sys.exit(main())
