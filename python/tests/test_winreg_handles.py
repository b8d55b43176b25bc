# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyHKEY, closed and detached handles, threads, errors, and bad input to
every function (the exception types CPython raises)."""
import errno
import os
import threading

import pytest

from hivekit import winreg as w


def test_pyhkey_protocol(root):
    h = w.OpenKey(root, None)
    assert isinstance(h, w.HKEYType)
    assert bool(h) and int(h) == h.handle != 0
    assert str(h).startswith("<PyHKEY:")
    assert h == h and h != root and hash(h) == hash(h)
    for op in (lambda: h + 1, lambda: -h, lambda: h | 1, lambda: float(h), lambda: ~h):
        with pytest.raises(TypeError):
            op()
    with pytest.raises(TypeError):
        w.HKEYType()
    h.Close()
    assert not h and h.handle == 0 and int(h) == 0
    h.Close()  # twice: no error


def test_closed_handle_raises_invalid_handle(root):
    h = w.OpenKey(root, None)
    h.Close()
    for call in (lambda: w.QueryInfoKey(h), lambda: w.EnumKey(h, 0),
                 lambda: w.EnumValue(h, 0), lambda: w.OpenKey(h, "x"),
                 lambda: w.QueryValueEx(h, ""), lambda: w.SetValueEx(h, "v", 0, w.REG_SZ, "x"),
                 lambda: w.DeleteValue(h, "v"), lambda: w.FlushKey(h)):
        with pytest.raises(OSError) as e:
            call()
        assert e.value.winerror == 6 and e.value.errno == errno.EBADF


def test_detach_keeps_the_key_open_under_its_value(root):
    w.SetValueEx(root, "v", 0, w.REG_DWORD, 7)
    h = w.OpenKey(root, None)
    value = h.Detach()
    assert value != 0 and h.handle == 0 and not h
    assert h.Detach() == 0
    assert w.QueryValueEx(value, "v") == (7, w.REG_DWORD)
    with w.OpenKey(value, None) as again:
        assert w.QueryInfoKey(again)[1] == 2  # the default value and v
    w.CloseKey(value)
    with pytest.raises(OSError) as e:
        w.QueryValueEx(value, "v")
    assert e.value.winerror == 6
    w.CloseKey(None)  # a no-op, as in CPython


def test_made_up_integer_is_invalid_handle():
    for value in (1, 12345678, 2 ** 40):
        with pytest.raises(OSError) as e:
            w.QueryInfoKey(value)
        assert e.value.winerror == 6


def test_closed_by_integer_then_object(root):
    h = w.OpenKey(root, None)
    value = int(h)
    w.CloseKey(h)
    with pytest.raises(OSError):
        w.QueryInfoKey(value)


def test_errors_map_to_subclasses(root, hive_path, tmp_path):
    with pytest.raises(FileNotFoundError) as e:
        w.OpenKey(root, "no such key")
    assert e.value.winerror == 2 and e.value.errno == errno.ENOENT
    with w.OpenKey(root, None, 0, w.KEY_READ) as ro:
        with pytest.raises(PermissionError) as e:
            w.SetValueEx(ro, "v", 0, w.REG_SZ, "x")
        assert e.value.winerror == 5 and e.value.errno == errno.EACCES
    out = tmp_path / "saved.hive"
    w.SaveKey(root, str(out))
    with pytest.raises(FileExistsError) as e:
        w.SaveKey(root, str(out))
    assert e.value.winerror in (80, 183) and e.value.errno == errno.EEXIST
    with pytest.raises(OSError) as e:
        w.EnumKey(root, 5)
    assert e.value.winerror == 259 and type(e.value) is OSError
    assert w.error is OSError


def test_read_only_hive_refuses_edits(hive_path):
    with w.OpenHive(hive_path) as root:
        with pytest.raises(PermissionError):
            w.CreateKey(root, "new")


def test_predefined_key_without_image_says_how(monkeypatch):
    monkeypatch.delenv("HIVEKIT_WINDOWS", raising=False)
    w.use(None)
    with pytest.raises(OSError) as e:
        w.OpenKey(w.HKEY_LOCAL_MACHINE, "SYSTEM")
    assert "HIVEKIT_WINDOWS" in str(e.value) and "use(" in str(e.value)


def test_bad_input_types(root):
    cases = [
        (TypeError, lambda: w.OpenKey(None, "x")),
        (TypeError, lambda: w.OpenKey("HKLM", "x")),
        (TypeError, lambda: w.OpenKey(root, 5)),
        (TypeError, lambda: w.OpenKey(root, "x", "0")),
        (TypeError, lambda: w.OpenKey(root)),
        (ValueError, lambda: w.OpenKey(root, "a\0b")),
        (TypeError, lambda: w.OpenKeyEx(root, "x", bogus=1)),
        (TypeError, lambda: w.CreateKey(root, 5)),
        (TypeError, lambda: w.CreateKey(root)),
        (TypeError, lambda: w.CreateKeyEx(root, b"x")),
        (TypeError, lambda: w.DeleteKey(root, None)),
        (TypeError, lambda: w.DeleteKeyEx(root, None)),
        (TypeError, lambda: w.DeleteValue(root, 5)),
        (TypeError, lambda: w.EnumKey(root, "0")),
        (TypeError, lambda: w.EnumKey(root)),
        (OverflowError, lambda: w.EnumKey(root, 2 ** 40)),
        (TypeError, lambda: w.EnumValue(root, 1.0)),
        (TypeError, lambda: w.QueryValueEx(root, 1)),
        (TypeError, lambda: w.QueryValue(root, 1)),
        (TypeError, lambda: w.QueryInfoKey("x")),
        (TypeError, lambda: w.SetValue(root, "k", w.REG_DWORD, "x")),
        (TypeError, lambda: w.SetValue(root, "k", w.REG_SZ, 5)),
        (TypeError, lambda: w.SetValueEx(root, "v", 0, "type", 1)),
        (ValueError, lambda: w.SetValueEx(root, "v", 0, w.REG_DWORD, "str")),
        (ValueError, lambda: w.SetValueEx(root, "v", 0, w.REG_DWORD, 1.5)),
        (OverflowError, lambda: w.SetValueEx(root, "v", 0, w.REG_DWORD, 2 ** 32)),
        (OverflowError, lambda: w.SetValueEx(root, "v", 0, w.REG_QWORD, 2 ** 64)),
        (ValueError, lambda: w.SetValueEx(root, "v", 0, w.REG_SZ, 5)),
        (ValueError, lambda: w.SetValueEx(root, "v", 0, w.REG_MULTI_SZ, ("a",))),
        (ValueError, lambda: w.SetValueEx(root, "v", 0, w.REG_MULTI_SZ, ["a", 1])),
        (TypeError, lambda: w.SetValueEx(root, "v", 0, w.REG_BINARY, "str")),
        (TypeError, lambda: w.SetValueEx(root, "v", 0, w.REG_BINARY, 5)),
        (TypeError, lambda: w.SetValueEx(root, "v", 0, w.REG_BINARY)),
        (TypeError, lambda: w.CloseKey("x")),
        (TypeError, lambda: w.FlushKey(None)),
        (TypeError, lambda: w.SaveKey(root, 5)),
        (TypeError, lambda: w.QueryReflectionKey(None)),
        (TypeError, lambda: w.ExpandEnvironmentStrings(5)),
        (ValueError, lambda: w.ExpandEnvironmentStrings("a\0b")),
        (TypeError, lambda: w.ConnectRegistry(5, w.HKEY_LOCAL_MACHINE)),
    ]
    for exc, call in cases:
        with pytest.raises(exc):
            call()
    # Nothing of the failed SetValueEx calls was written.
    assert w.QueryInfoKey(root)[1] == 1  # the spec's default value only


def test_set_value_ex_conversions(root):
    w.SetValueEx(root, "none", 0, w.REG_DWORD, None)
    assert w.QueryValueEx(root, "none") == (0, w.REG_DWORD)
    w.SetValueEx(root, "s", 0, w.REG_SZ, None)
    assert w.QueryValueEx(root, "s") == ("", w.REG_SZ)
    w.SetValueEx(root, "m", 0, w.REG_MULTI_SZ, [])
    assert w.QueryValueEx(root, "m") == ([], w.REG_MULTI_SZ)
    w.SetValueEx(root, "m1", 0, w.REG_MULTI_SZ, [""])
    assert w.QueryValueEx(root, "m1") == ([""], w.REG_MULTI_SZ)
    w.SetValueEx(root, "be", 0, w.REG_DWORD_BIG_ENDIAN, b"\x00\x00\x00\x01")
    assert w.QueryValueEx(root, "be") == (b"\x00\x00\x00\x01", w.REG_DWORD_BIG_ENDIAN)
    w.SetValueEx(root, "odd", 0, 0x1234, bytearray(b"ab"))
    assert w.QueryValueEx(root, "odd") == (b"ab", 0x1234)
    w.SetValueEx(root, "mv", 0, w.REG_BINARY, memoryview(b"xyz"))
    assert w.QueryValueEx(root, "mv") == (b"xyz", w.REG_BINARY)
    w.SetValueEx(root, "lone", 0, w.REG_SZ, "a\udc00b")
    assert w.QueryValueEx(root, "lone") == ("a\udc00b", w.REG_SZ)
    w.SetValueEx(root, "emoji", 0, w.REG_MULTI_SZ, ["\U0001F600", "é"])
    assert w.QueryValueEx(root, "emoji") == (["\U0001F600", "é"], w.REG_MULTI_SZ)
    w.SetValueEx(root, "q", 0, w.REG_QWORD, 2 ** 64 - 1)
    assert w.QueryValueEx(root, "q") == (2 ** 64 - 1, w.REG_QWORD)
    assert w.QueryValue(root, None) == "root default"
    with pytest.raises(OSError) as e:
        w.SetValueEx(root, "", 0, w.REG_DWORD, 1)
        w.QueryValue(root, "")
    assert e.value.winerror == 13


def test_reg2py_edge_rules():
    """Stored bytes SetValueEx would not write, read as CPython reads them."""
    import hivekit
    cases = [
        ("hex(4):", 0, w.REG_DWORD), ("hex(4):01,02", 0x0201, w.REG_DWORD),
        ("hex(4):01,00,00,00,ff", 1, w.REG_DWORD), ("hex(b):01", 1, w.REG_QWORD),
        ("hex(1):61,00,00,00,62,00", "a", w.REG_SZ), ("hex(1):", "", w.REG_SZ),
        ("hex(1):61,00,62", "a", w.REG_SZ),
        ("hex(2):61,00", "a", w.REG_EXPAND_SZ),
        ("hex(7):61,00,00,00,62,00", ["a", "b"], w.REG_MULTI_SZ),
        ("hex(7):00,00", [], w.REG_MULTI_SZ), ("hex(7):00,00,00,00", [""], w.REG_MULTI_SZ),
        ("hex(7):61,00,00,00,00,00,62,00,00,00,00,00", ["a", "", "b"], w.REG_MULTI_SZ),
        ("hex(7):", [], w.REG_MULTI_SZ),
        ("hex:", None, w.REG_BINARY), ("hex(6):", None, w.REG_LINK),
        ("hex(5):00,00,00,01", b"\x00\x00\x00\x01", w.REG_DWORD_BIG_ENDIAN),
        ("hex(0):", None, w.REG_NONE), ("hex(100):01", b"\x01", 0x100),
    ]
    spec = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\E]\r\n"
    spec += "".join('"v%d"=%s\r\n' % (i, c[0]) for i, c in enumerate(cases))
    with hivekit.Hive(hivekit.build(spec)) as h, h.root as root:
        for i, (_, want, typ) in enumerate(cases):
            assert w.QueryValueEx(root, "v%d" % i) == (want, typ), cases[i]
            assert w.EnumValue(root, i) == ("v%d" % i, want, typ)


def test_threads_share_one_hive(root):
    with w.CreateKey(root, "T") as t:
        for i in range(50):
            w.SetValueEx(t, "v%d" % i, 0, w.REG_SZ, "x" * i)
    errors = []

    def reader():
        try:
            for _ in range(200):
                with w.OpenKey(root, "T") as k:
                    n = w.QueryInfoKey(k)[1]
                    got = [w.EnumValue(k, i)[1] for i in range(n)]
                    assert got == ["x" * i for i in range(50)]
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []


def test_close_from_another_thread_is_safe(root):
    h = w.OpenKey(root, None)
    stop = threading.Event()
    seen = []

    def user():
        while not stop.is_set():
            try:
                w.QueryInfoKey(h)
            except OSError as e:
                seen.append(e.winerror)
                return

    th = threading.Thread(target=user)
    th.start()
    h.Close()
    th.join(timeout=10)
    stop.set()
    th.join()
    assert seen == [6]


def test_delete_key_ex(root):
    w.CreateKey(root, "X").Close()
    with pytest.raises(OSError) as e:
        w.DeleteKeyEx(root, "X", w.KEY_WOW64_64KEY, 1)
    assert e.value.winerror == 87
    w.DeleteKeyEx(root, "X")
    with pytest.raises(FileNotFoundError):
        w.DeleteKeyEx(key=root, sub_key="X", access=w.KEY_WOW64_32KEY, reserved=0)


def test_repeated_errors_are_separate_exceptions(root):
    """The exceptions of a code raised often (an EnumKey loop's end, a key
    not found) are made from parts kept after the first: each is a new
    instance with its own attributes, as OSError's constructor makes it."""
    caught = []
    for _ in range(3):
        try:
            w.EnumKey(root, 7)
        except OSError as e:
            caught.append(e)
    first, second = caught[0], caught[1]
    assert first is not second and type(second) is OSError
    assert second.winerror == 259 and second.errno == errno.EINVAL
    assert second.args == (errno.EINVAL, second.strerror) and second.strerror
    assert str(second) == "[Errno %d] %s" % (errno.EINVAL, second.strerror)
    assert second.filename is None and second.__traceback__ is not None
    first.winerror = 1
    first.extra = "x"
    assert caught[2].winerror == 259 and not hasattr(caught[2], "extra")
    for _ in range(2):
        with pytest.raises(FileNotFoundError) as e:
            w.OpenKey(root, "no such key")
        assert e.value.winerror == 2 and e.value.errno == errno.ENOENT
