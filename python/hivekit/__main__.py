# SPDX-License-Identifier: LGPL-2.1-or-later
"""python3 -m hivekit [--windows DIR] [--user NAME|SID] [--writable] SCRIPT [ARGS...]

Runs a winreg script unchanged: `import winreg` in it (and in what it
imports) gets hivekit.winreg, and the HKEY_* keys read the Windows image
at DIR (else HIVEKIT_WINDOWS / HIVEKIT_USER, as hivekit.winreg.use()
documents)."""
import argparse
import runpy
import sys

from . import winreg


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m hivekit", description=__doc__.split("\n\n")[1])
    ap.add_argument("--windows", metavar="DIR", help="the Windows volume (folder holding Windows/)")
    ap.add_argument("--user", metavar="NAME|SID", help="who HKEY_CURRENT_USER is")
    ap.add_argument("--writable", action="store_true", help="edits go to the image's hive files")
    ap.add_argument("script")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    if a.windows:
        winreg.use(a.windows, user=a.user, writable=a.writable)
    sys.modules["winreg"] = winreg
    sys.argv = [a.script] + a.args
    runpy.run_path(a.script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
