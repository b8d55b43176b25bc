# SPDX-License-Identifier: LGPL-2.1-or-later
"""hivekit.build: a fixture in one line, the same bytes as `hivekit build`."""
import hivekit
from hivekit import winreg

SPEC = ('Windows Registry Editor Version 5.00\r\n\r\n'
        '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor]\r\n'
        '"Version"="1.2"\r\n"Count"=dword:0000002a\r\n'
        '"List"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n\r\n'
        '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor\\Sub]\r\n@="x"\r\n')


def test_build_one_line_fixture():
    with hivekit.Hive(hivekit.build(SPEC)) as h, h.root as root:
        assert winreg.QueryValueEx(root, "Version") == ("1.2", winreg.REG_SZ)
        assert winreg.QueryValueEx(root, "Count") == (42, winreg.REG_DWORD)
        assert winreg.QueryValueEx(root, "List") == (["a", "b"], winreg.REG_MULTI_SZ)
        assert winreg.QueryValue(root, "Sub") == "x"
        assert winreg.EnumKey(root, 0) == "Sub"


def test_build_equals_cli_build(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    spec = tmp_path / "spec.reg"
    spec.write_text(SPEC, newline="")
    out = tmp_path / "cli.hive"
    cli("build", spec, "-o", out)
    assert hivekit.build(SPEC) == out.read_bytes()


def test_build_bad_text_raises_with_position():
    try:
        hivekit.build("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\A]\r\n"
                      '"v"=dword:xyz\r\n')
    except OSError as e:
        assert e.winerror == 13
        assert "4:" in str(e)
    else:
        raise AssertionError("bad .reg text was accepted")
