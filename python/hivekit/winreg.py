# SPDX-License-Identifier: LGPL-2.1-or-later
"""A drop-in for Python's ``winreg`` that reads and edits an offline Windows
image (or single hive files) on any OS.

Every function, constant and behaviour of ``winreg`` is here, with the same
names, arguments, value conversions and exceptions (``OSError`` subclasses
with ``.winerror``). Predefined keys (``HKEY_LOCAL_MACHINE``...) need an image:
``use(path)``, else the environment variables ``HIVEKIT_WINDOWS`` (the volume
holding ``Windows/``) and ``HIVEKIT_USER`` (who HKEY_CURRENT_USER is), or
``ConnectRegistry(path, HKEY_...)`` with the volume path as the computer name.

Beyond winreg: ``use()``, and ``OpenHive(path)`` for the root key of one hive
file.
"""

import atexit as _atexit
import os as _os
import threading as _threading

from . import _hivekit
from ._hivekit import (  # noqa: F401  (the winreg API)
    CloseKey, CreateKey, CreateKeyEx, DeleteKey, DeleteKeyEx, DeleteValue,
    DisableReflectionKey, EnableReflectionKey, EnumKey, EnumValue, FlushKey,
    HKEYType, LoadKey, OpenKey, OpenKeyEx, QueryInfoKey, QueryReflectionKey, QueryValue,
    QueryValueEx, SaveKey, SetValue, SetValueEx, error,
)

PyHKEY = HKEYType

# Predefined keys, as 64-bit Windows' Python has them (sign-extended HKEYs).
HKEY_CLASSES_ROOT = 0xFFFFFFFF80000000
HKEY_CURRENT_USER = 0xFFFFFFFF80000001
HKEY_LOCAL_MACHINE = 0xFFFFFFFF80000002
HKEY_USERS = 0xFFFFFFFF80000003
HKEY_PERFORMANCE_DATA = 0xFFFFFFFF80000004
HKEY_CURRENT_CONFIG = 0xFFFFFFFF80000005
HKEY_DYN_DATA = 0xFFFFFFFF80000006

KEY_QUERY_VALUE = 0x0001
KEY_SET_VALUE = 0x0002
KEY_CREATE_SUB_KEY = 0x0004
KEY_ENUMERATE_SUB_KEYS = 0x0008
KEY_NOTIFY = 0x0010
KEY_CREATE_LINK = 0x0020
KEY_WOW64_64KEY = 0x0100
KEY_WOW64_32KEY = 0x0200
KEY_READ = 0x20019
KEY_EXECUTE = 0x20019
KEY_WRITE = 0x20006
KEY_ALL_ACCESS = 0xF003F

REG_NONE = 0
REG_SZ = 1
REG_EXPAND_SZ = 2
REG_BINARY = 3
REG_DWORD = 4
REG_DWORD_LITTLE_ENDIAN = 4
REG_DWORD_BIG_ENDIAN = 5
REG_LINK = 6
REG_MULTI_SZ = 7
REG_RESOURCE_LIST = 8
REG_FULL_RESOURCE_DESCRIPTOR = 9
REG_RESOURCE_REQUIREMENTS_LIST = 10
REG_QWORD = 11
REG_QWORD_LITTLE_ENDIAN = 11

REG_OPTION_RESERVED = 0
REG_OPTION_NON_VOLATILE = 0
REG_OPTION_VOLATILE = 1
REG_OPTION_CREATE_LINK = 2
REG_OPTION_BACKUP_RESTORE = 4
REG_OPTION_OPEN_LINK = 8
REG_LEGAL_OPTION = 31
REG_CREATED_NEW_KEY = 1
REG_OPENED_EXISTING_KEY = 2
REG_WHOLE_HIVE_VOLATILE = 1
REG_REFRESH_HIVE = 2
REG_NO_LAZY_FLUSH = 4
REG_NOTIFY_CHANGE_NAME = 1
REG_NOTIFY_CHANGE_ATTRIBUTES = 2
REG_NOTIFY_CHANGE_LAST_SET = 4
REG_NOTIFY_CHANGE_SECURITY = 8
REG_LEGAL_CHANGE_FILTER = 268435471

_ERROR_INVALID_HANDLE = 6
_ERROR_FILE_NOT_FOUND = 2

_PREDEFINED_NAMES = {
    0x80000000: "HKEY_CLASSES_ROOT", 0x80000001: "HKEY_CURRENT_USER",
    0x80000002: "HKEY_LOCAL_MACHINE", 0x80000003: "HKEY_USERS",
    0x80000004: "HKEY_PERFORMANCE_DATA", 0x80000005: "HKEY_CURRENT_CONFIG",
    0x80000006: "HKEY_DYN_DATA",
}


def OpenHive(path, writable=False, logs=None):
    """The root key of one hive file as a PyHKEY (not in winreg): the offline
    counterpart of a key a script already holds. With writable=True edits
    are kept in memory until FlushKey writes the file."""
    core = _hivekit._open(_os.fspath(path), logs=logs, writable=writable)
    try:
        return core.root()
    finally:
        core.close()


# ---- the image behind the predefined keys ------------------------------------

class _Default:
    """Which image the predefined keys come from: use() wins over the
    environment variables, read when a predefined key is needed. One
    registry context per image, so HKLM, HKU and HKCU see one set of
    mounted hives."""

    def __init__(self):
        self.lock = _threading.Lock()
        self.chosen = None      # (path, user, writable) from use()
        self.registry = None    # the context of self.source
        self.keys = {}          # predefined number -> PyHKEY of the context
        self.source = None      # the (path, user, writable) the context is for

    def where(self):
        if self.chosen is not None:
            return self.chosen
        path = _os.environ.get("HIVEKIT_WINDOWS")
        if path:
            return (path, _os.environ.get("HIVEKIT_USER") or None, False)
        return None

    def key(self, number):
        with self.lock:
            where = self.where()
            if where != self.source:
                self.drop()
            if where is None:
                name = _PREDEFINED_NAMES.get(number, hex(number))
                _hivekit._raise(
                    _ERROR_INVALID_HANDLE,
                    "%s needs a Windows image: call hivekit.winreg.use('/mnt/c') "
                    "or set HIVEKIT_WINDOWS=/mnt/c (and HIVEKIT_USER for "
                    "HKEY_CURRENT_USER), or use ConnectRegistry('/mnt/c', %s)"
                    % (name, name))
            if self.registry is None:
                self.registry = _hivekit._registry(where[0], where[1], where[2])
                self.source = where
            key = self.keys.get(number)
            if key is None or not key:
                key = self.registry.predefined(number)
                self.keys[number] = key
            return key

    def drop(self):
        for key in self.keys.values():
            key.Close()
        self.keys = {}
        if self.registry is not None:
            self.registry.close()
        self.registry = None
        self.source = None


_default = _Default()
_hivekit._set_predefined(lambda number: _default.key(number))
_atexit.register(_default.drop)  # a writable image's edits are saved


def use(path, user=None, writable=False):
    """Makes the Windows volume at path (the folder holding Windows/, or the
    Windows folder) the registry the HKEY_* constants open; user picks
    HKEY_CURRENT_USER by name or SID. Wins over HIVEKIT_WINDOWS/HIVEKIT_USER.
    use(None) goes back to the environment. With writable=True edits go to
    the image's hive files: FlushKey saves a hive, and the rest is saved
    when the context is released (use() again, or the interpreter's end)."""
    with _default.lock:
        _default.chosen = None if path is None else (_os.fspath(path), user, bool(writable))
        _default.drop()


def users():
    """The profiles of the current image (not in winreg): dicts of sid,
    name, profile_path, ntuser_found, usrclass_found, is_current."""
    _default.key(0x80000003)
    return _default.registry.users()


def ConnectRegistry(computer_name, key):
    """ConnectRegistry(computer_name, key): computer_name is the path of a
    Windows volume (r"\\path" is accepted too), or None for the image
    chosen by use() or HIVEKIT_WINDOWS; key one of the predefined HKEY_*
    constants. The image is read-only unless it is the one use() chose
    with writable=True."""
    if computer_name is not None and not isinstance(computer_name, str):
        raise TypeError("ConnectRegistry() argument 1 must be str or None, not %s"
                        % type(computer_name).__name__)
    if not isinstance(key, int):
        if isinstance(key, HKEYType):
            _hivekit._raise(_ERROR_INVALID_HANDLE)
        raise TypeError("The object is not a PyHKEY object")
    number = key & 0xFFFFFFFF
    if number not in _PREDEFINED_NAMES or key not in (number, number | 0xFFFFFFFF00000000):
        _hivekit._raise(_ERROR_INVALID_HANDLE)
    if computer_name is None:
        return OpenKey(key, None)
    path = computer_name[2:] if computer_name.startswith("\\\\") else computer_name
    user, writable = None, False
    if _default.chosen is not None and _default.chosen[0] == path:
        user, writable = _default.chosen[1], _default.chosen[2]
    elif _os.environ.get("HIVEKIT_WINDOWS") == path:
        user = _os.environ.get("HIVEKIT_USER") or None
    registry = _hivekit._registry(path, user, writable)
    try:
        return registry.predefined(number)
    finally:
        registry.close()  # the key keeps the context


def ExpandEnvironmentStrings(str):  # noqa: A002 (winreg's parameter name)
    """Replaces %NAME% with the variable's value (names in any case; unknown
    ones stay). With an image chosen (use(), HIVEKIT_WINDOWS) the image's
    environment is used, else the process environment, as Windows uses its
    process environment."""
    if not isinstance(str, type("")):
        raise TypeError("ExpandEnvironmentStrings() argument must be str, not %s"
                        % type(str).__name__)
    if "\0" in str:
        raise ValueError("embedded null character")
    if _default.where() is not None:
        return _hivekit._expand(_default.key(0x80000002), str)
    env = {k.upper(): v for k, v in _os.environ.items()}
    out = []
    i = 0
    while i < len(str):
        if str[i] == "%":
            end = str.find("%", i + 1)
            if end > i + 1 and str[i + 1:end].upper() in env:
                out.append(env[str[i + 1:end].upper()])
                i = end + 1
                continue
            if end < 0:
                out.append(str[i:])
                break
            out.append(str[i:end])
            i = end
            continue
        out.append(str[i])
        i += 1
    return "".join(out)
