# SPDX-License-Identifier: LGPL-2.1-or-later
"""The statements of Python's winreg documentation (Doc/library/winreg.rst),
checked on an offline hive."""
import pytest

from hivekit import winreg
from hivekit.winreg import HKEY_LOCAL_MACHINE


def test_constants_have_windows_values():
    assert winreg.HKEY_LOCAL_MACHINE == 18446744071562067970  # 64-bit Python's value
    assert (winreg.KEY_READ, winreg.KEY_WRITE, winreg.KEY_ALL_ACCESS) == (131097, 131078, 983103)
    assert winreg.KEY_EXECUTE == winreg.KEY_READ
    assert (winreg.REG_QWORD, winreg.REG_QWORD_LITTLE_ENDIAN, winreg.REG_DWORD_LITTLE_ENDIAN) == (11, 11, 4)
    assert (winreg.REG_OPTION_OPEN_LINK, winreg.REG_CREATED_NEW_KEY, winreg.REG_OPENED_EXISTING_KEY) == (8, 1, 2)
    assert winreg.error is OSError
    names = [n for n in dir(winreg) if n[:1].isupper()]
    for fn in ["CloseKey", "ConnectRegistry", "CreateKey", "CreateKeyEx", "DeleteKey",
               "DeleteKeyEx", "DeleteValue", "EnumKey", "EnumValue", "ExpandEnvironmentStrings",
               "FlushKey", "LoadKey", "OpenKey", "OpenKeyEx", "QueryInfoKey", "QueryValue",
               "QueryValueEx", "SaveKey", "SetValue", "SetValueEx", "DisableReflectionKey",
               "EnableReflectionKey", "QueryReflectionKey", "HKEYType"]:
        assert fn in names, fn


def test_handle_objects_section(root):
    # "Handle objects provide semantics for __bool__() ... if handle: print('Yes')"
    handle = winreg.OpenKey(root, None)
    assert bool(handle)
    # "Handle objects also support comparison semantics"
    assert handle == handle
    # "Handle objects can be converted to an integer (e.g., using the built-in int())"
    assert int(handle) == handle.handle
    # "with OpenKey(HKEY_LOCAL_MACHINE, "foo") as key: ... automatically closed"
    with winreg.OpenKey(root, None) as key:
        assert key
    assert not key
    # Detach: "the result is an integer that holds the value of the handle before it is
    # detached. If the handle is already detached or closed, this will return zero."
    value = handle.Detach()
    assert value and handle.Detach() == 0
    winreg.CloseKey(value)


def test_create_key_with_empty_sub_key_opens_the_key(root):
    # "If key is one of the predefined keys, sub_key may be None."
    with winreg.CreateKey(root, None) as k:
        assert winreg.QueryValue(k, None) == "root default"


def test_delete_key_cannot_delete_keys_with_subkeys(root):
    # "This method can not delete keys with subkeys."
    winreg.CreateKey(root, r"A\B").Close()
    with pytest.raises(PermissionError):
        winreg.DeleteKey(root, "A")
    winreg.DeleteKey(root, r"A\B")
    winreg.DeleteKey(root, "A")


def test_enum_raises_oserror_when_no_more(root):
    # "The function retrieves the name of one subkey each time it is called. It is
    # typically called repeatedly until an OSError exception is raised"
    with pytest.raises(OSError):
        winreg.EnumKey(root, 0)
    with pytest.raises(OSError):
        winreg.EnumValue(root, 1)


def test_query_info_key_tuple(root):
    # "An integer giving when the key was last modified ... 100's of nanoseconds since Jan 1, 1601."
    subkeys, values, modified = winreg.QueryInfoKey(root)
    assert (subkeys, values) == (0, 1)
    assert 116444736000000000 < modified < 116444736000000000 + 10 ** 7 * 86400 * 365 * 200


def test_query_value_unnamed_default_value(root):
    # "Values in the registry have name, type, and data components. This method retrieves the
    # data for a key's first value that has a NULL name."
    assert winreg.QueryValue(root, None) == "root default"
    winreg.CreateKey(root, "Empty").Close()
    assert winreg.QueryValue(root, "Empty") == ""


def test_set_value_creates_the_sub_key(root):
    # "If the key specified by the sub_key parameter does not exist, the SetValue function creates it."
    winreg.SetValue(root, r"New\Deep", winreg.REG_SZ, "v")
    assert winreg.QueryValue(root, r"New\Deep") == "v"
    assert winreg.QueryValueEx(winreg.OpenKey(root, r"New\Deep"), "") == ("v", winreg.REG_SZ)
    with pytest.raises(TypeError):
        winreg.SetValue(root, "New", winreg.REG_EXPAND_SZ, "v")


def test_expand_sz_is_not_expanded_on_read(root):
    # QueryValueEx returns REG_EXPAND_SZ as stored; ExpandEnvironmentStrings expands.
    winreg.SetValueEx(root, "p", 0, winreg.REG_EXPAND_SZ, "%PATH%")
    assert winreg.QueryValueEx(root, "p") == ("%PATH%", winreg.REG_EXPAND_SZ)


def test_open_key_does_not_create(root):
    with pytest.raises(FileNotFoundError):
        winreg.OpenKey(root, "missing")


def test_save_key_then_open_the_file(root, tmp_path):
    # "Saves the specified key, and all its subkeys to the specified file."
    winreg.SetValue(root, r"S\T", winreg.REG_SZ, "saved")
    with winreg.OpenKey(root, "S") as s:
        winreg.SaveKey(s, str(tmp_path / "s.hive"))
    with winreg.OpenHive(tmp_path / "s.hive") as r:
        assert winreg.QueryValue(r, "T") == "saved"


def test_predefined_key_int_and_sign_extended_forms(monkeypatch):
    monkeypatch.delenv("HIVEKIT_WINDOWS", raising=False)
    winreg.use(None)
    for value in (HKEY_LOCAL_MACHINE, 0x80000002):
        with pytest.raises(OSError) as e:
            winreg.OpenKey(value, "SOFTWARE")
        assert "HKEY_LOCAL_MACHINE" in str(e.value)
