# SPDX-License-Identifier: LGPL-2.1-or-later
"""hivekit.winreg on a fake Windows volume (the namespace issue's fixtures):
ConnectRegistry on the volume path, use(), HIVEKIT_WINDOWS/HIVEKIT_USER for
an unchanged script, links, HKCR, views, LoadKey, ExpandEnvironmentStrings,
edits landing in the right file."""
import os
import subprocess
import sys

import pytest

from hivekit import winreg
from hivekit.winreg import (
    HKEY_CLASSES_ROOT, HKEY_CURRENT_CONFIG, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, HKEY_USERS,
    KEY_READ, KEY_WOW64_32KEY, ConnectRegistry, EnumKey, OpenKey, QueryValueEx,
)

from conftest import SID_ALICE, SID_BOB
import test_winreg_cpython as cp


def names(key):
    out, i = [], 0
    while True:
        try:
            out.append(EnumKey(key, i))
        except OSError:
            return out
        i += 1


def test_connect_registry_reads_through_current_control_set(volume):
    with ConnectRegistry(volume, HKEY_LOCAL_MACHINE) as hklm:
        assert names(hklm) == ["SOFTWARE", "SYSTEM"]
        with OpenKey(hklm, r"SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName") as k:
            assert QueryValueEx(k, "ComputerName") == ("TESTBOX", winreg.REG_SZ)
        with OpenKey(hklm, r"SOFTWARE\LinkToServices\Tcpip") as k:
            assert k.handle != 0
    with ConnectRegistry("\\\\" + volume, HKEY_CURRENT_CONFIG) as hkcc:
        with OpenKey(hkcc, r"System\CurrentControlSet\Control\Print") as k:
            assert QueryValueEx(k, "Marker") == ("profile-0001", winreg.REG_SZ)


def test_views_and_classes(volume):
    winreg.use(volume, user="alice")
    with OpenKey(HKEY_LOCAL_MACHINE, r"SOFTWARE\Vendor") as k:
        assert QueryValueEx(k, "Bits")[0] == "64"
    with OpenKey(HKEY_LOCAL_MACHINE, r"SOFTWARE\Vendor", 0, KEY_READ | KEY_WOW64_32KEY) as k:
        assert QueryValueEx(k, "Bits")[0] == "32"
    assert winreg.QueryValue(HKEY_CLASSES_ROOT, ".alice") == "alicefile"
    assert winreg.QueryValue(HKEY_CLASSES_ROOT, ".txt") == "txtfile"


def test_current_user_choice(volume):
    winreg.use(volume)
    with pytest.raises(FileNotFoundError) as e:
        OpenKey(HKEY_CURRENT_USER, "Software")
    assert "alice (%s)" % SID_ALICE in str(e.value) and "Bob (%s)" % SID_BOB in str(e.value)
    winreg.use(volume, user=SID_BOB)
    assert OpenKey(HKEY_CURRENT_USER, None).handle != 0
    assert [u["name"] for u in winreg.users()] == ["systemprofile", "alice", "Bob", "ghost"]


def test_expand_environment_strings_from_the_image(volume):
    winreg.use(volume, user="alice")
    assert winreg.ExpandEnvironmentStrings("%SystemRoot%\\System32") == "C:\\WINDOWS\\System32"
    assert winreg.ExpandEnvironmentStrings("%greeting%, %Nope%") == "hello, %Nope%"


def test_expand_without_an_image_uses_the_process_environment(monkeypatch):
    monkeypatch.delenv("HIVEKIT_WINDOWS", raising=False)
    monkeypatch.setenv("HK_TEST_DIR", "/x")
    winreg.use(None)
    r = winreg.ExpandEnvironmentStrings("%hk_test_dir%\\test %unknown%")
    assert type(r) is str and r == "/x\\test %unknown%"


def test_load_key(volume, hive_path):
    with ConnectRegistry(volume, HKEY_USERS) as hku:
        winreg.LoadKey(hku, "Mounted", str(hive_path))
        assert "Mounted" in names(hku)
        assert winreg.QueryValue(hku, "Mounted") == "root default"
        with pytest.raises(OSError) as e:
            winreg.LoadKey(hku, "Mounted", str(hive_path))
        assert e.value.winerror == 183
        with pytest.raises(TypeError):
            winreg.LoadKey(hku, None, str(hive_path))


def test_cpython_cases_on_hkcu_of_an_image(volume):
    winreg.use(volume, user="alice", writable=True)
    cp.write_test_data(HKEY_CURRENT_USER)
    cp.read_test_data(HKEY_CURRENT_USER)
    cp.delete_test_data(HKEY_CURRENT_USER)


def test_edit_lands_in_the_current_control_set_file(volume):
    winreg.use(volume, writable=True)
    with winreg.CreateKey(HKEY_LOCAL_MACHINE,
                          r"SYSTEM\CurrentControlSet\Services\BadDriver") as k:
        winreg.SetValueEx(k, "Start", 0, winreg.REG_DWORD, 4)
        winreg.FlushKey(k)
    winreg.use(None)
    system = os.path.join(volume, "WINDOWS/system32/CONFIG/System")
    with winreg.OpenHive(system) as root:
        with OpenKey(root, r"ControlSet002\Services\BadDriver") as k:
            assert QueryValueEx(k, "Start") == (4, winreg.REG_DWORD)
        with pytest.raises(FileNotFoundError):
            OpenKey(root, r"ControlSet001\Services\BadDriver")


SCRIPT = r'''
import winreg

key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE,
                     r"SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName")
print(winreg.QueryValueEx(key, "ComputerName")[0])
with winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Windows\CurrentVersion\Run") as run:
    i = 0
    while True:
        try:
            name, value, type_ = winreg.EnumValue(run, i)
        except OSError:
            break
        print(name, value)
        i += 1
'''


def run_script(script, env, *options):
    return subprocess.run([sys.executable, "-m", "hivekit"] + list(options) + [str(script)],
                          capture_output=True, text=True, env=env)


def test_unchanged_script_with_environment_variables(volume, tmp_path):
    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, HIVEKIT_WINDOWS=volume, HIVEKIT_USER="alice")
    r = run_script(script, env)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "TESTBOX\nAliceApp C:\\Users\\alice\\app.exe\n"
    env.pop("HIVEKIT_WINDOWS")
    r = run_script(script, env)
    assert r.returncode == 1 and "HIVEKIT_WINDOWS" in r.stderr
    env.pop("HIVEKIT_USER")
    r = run_script(script, env, "--windows", volume, "--user", "alice")
    assert r.returncode == 0 and r.stdout.startswith("TESTBOX\n"), r.stderr


def test_use_wins_over_the_environment(volume, monkeypatch, tmp_path):
    monkeypatch.setenv("HIVEKIT_WINDOWS", str(tmp_path / "nowhere"))
    winreg.use(volume, user="alice")
    with OpenKey(HKEY_CURRENT_USER, "Environment") as k:
        assert QueryValueEx(k, "Greeting")[0] == "hello"
    winreg.use(None)
    with pytest.raises(OSError) as e:
        OpenKey(HKEY_LOCAL_MACHINE, "SYSTEM")
    assert e.value.winerror in (2, 3)


def test_connect_registry_errors(volume, tmp_path):
    with pytest.raises(OSError) as e:
        ConnectRegistry(str(tmp_path / "nowhere"), HKEY_LOCAL_MACHINE)
    assert e.value.winerror in (2, 3)
    with pytest.raises(OSError) as e:
        ConnectRegistry(volume, 12345)
    assert e.value.winerror == 6
    with pytest.raises(OSError) as e:
        ConnectRegistry(volume, winreg.HKEY_PERFORMANCE_DATA)
    assert e.value.winerror == 120
