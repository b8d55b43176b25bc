/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The editing API: winreg semantics and error codes, list and data layout
 * per version, security sharing, copies and saved subtrees; every hive
 * written is checked deeply and read back through libhivex. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/handle.h"
#include "hive/cellalloc.h"
#include "record/nk.h"
#include "record/vk.h"
#include "verify.h"

Suite *test_suite(void);

START_TEST(new_hive_saves_and_reads_back_through_libhivex)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *k;
    uint32_t disp = 0;
    ck_assert_uint_eq(hk_create_key_ex(r, "Software\\Vendor", 0, "cls", 0, HK_KEY_ALL_ACCESS, &k,
                                       &disp), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(disp, HK_REG_CREATED_NEW_KEY);
    uint32_t dw = 42;
    ck_assert_uint_eq(hk_set_value_ex(k, "Count", 0, HK_REG_DWORD, &dw, 4), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "Blob", 0, HK_REG_BINARY, "\x01\x02\x03\x04\x05", 5),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "", 0, HK_REG_SZ, "d\0\0\0", 4), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "Empty", 0, HK_REG_NONE, NULL, 0), HK_ERROR_SUCCESS);
    char buf[16];
    size_t sz = sizeof buf;
    uint32_t type;
    ck_assert_uint_eq(hk_query_value_ex(k, "blob", &type, buf, &sz), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(type, HK_REG_BINARY);
    ck_assert_uint_eq(sz, 5);
    ck_assert_mem_eq(buf, "\x01\x02\x03\x04\x05", 5);
    hk_key_info ki = HK_KEY_INFO_INIT;
    char cls[8];
    size_t csz = sizeof cls;
    ck_assert_uint_eq(hk_query_info_key(k, cls, &csz, &ki), HK_ERROR_SUCCESS);
    ck_assert_str_eq(cls, "cls");
    ck_assert_uint_eq(ki.values, 4);
    ck_assert_uint_eq(ki.max_value_name_len, 5);
    ck_assert_uint_eq(ki.max_value_data_len, 5);
    ck_assert_uint_eq(ki.last_write, CLOCK);
    /* the intermediate key got no class; the parent's max class is 3 units */
    hk_key *sw;
    ck_assert_uint_eq(hk_open_key(r, "software", 0, HK_KEY_READ, &sw), HK_ERROR_SUCCESS);
    csz = sizeof cls;
    ck_assert_uint_eq(hk_query_info_key(sw, cls, &csz, &ki), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(csz, 0);
    ck_assert_uint_eq(ki.max_class_len, 3);
    ck_assert_uint_eq(ki.max_subkey_name_len, 6);
    char path[512];
    struct verify_report rep;
    save_check(h, path, sizeof path, &rep);
    ck_assert_uint_eq(rep.keys, 3);
    ck_assert_uint_eq(rep.values, 4);
    ck_assert_uint_eq(rep.sks, 1);
    ck_assert_uint_eq(rep.unreferenced, 0);
    ck_assert_uint_eq(rep.free_pairs, 0);
    hk_hive_info hi = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(h, &hi), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hi.primary_sequence, 1);
    ck_assert_uint_eq(hi.secondary_sequence, 1);
    ck_assert_uint_eq(hi.last_written, CLOCK);
    hk_close_key(sw);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

/* winreg's handle semantics (Wine's conformance tests show Windows' answers):
 * generic rights map to key rights, a handle's rights gate only what is
 * done to its own key, and a call naming a subkey opens it as Windows does. */
START_TEST(handle_rights_are_winreg_ones)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *k, *c, *ro;
    ck_assert_uint_eq(hk_create_key(r, "A", &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, NULL, 0, HK_REG_SZ, "d\0\0", 4), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "v", 0, HK_REG_DWORD, "1234", 4), HK_ERROR_SUCCESS);
    hk_close_key(k);

    /* KEY_READ handle: creating a subkey succeeds (the hive is writable),
     * as RegCreateKeyEx; RegSetValue on a subkey too; its own values not */
    ck_assert_uint_eq(hk_open_key(r, "A", 0, HK_KEY_READ, &ro), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_create_key(ro, "B", &c), HK_ERROR_SUCCESS);
    hk_close_key(c);
    ck_assert_uint_eq(hk_set_value(ro, "B", HK_REG_SZ, "x"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value(ro, NULL, HK_REG_SZ, "x"), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_rename_key(ro, "B", "B2"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_rename_key(ro, NULL, "Z"), HK_ERROR_ACCESS_DENIED);
    hk_close_key(ro);

    /* KEY_SET_VALUE only: no query of its own values, hk_query_value too,
     * but a subkey's default value is read by opening that subkey */
    hk_key *wo;
    ck_assert_uint_eq(hk_open_key(r, "A", 0, HK_KEY_SET_VALUE, &wo), HK_ERROR_SUCCESS);
    char buf[32];
    size_t n = sizeof buf;
    ck_assert_uint_eq(hk_query_value(wo, NULL, buf, &n), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_query_value(wo, "", buf, &n), HK_ERROR_ACCESS_DENIED);
    n = sizeof buf;
    ck_assert_uint_eq(hk_query_value_ex(wo, "v", NULL, buf, &n), HK_ERROR_ACCESS_DENIED);
    n = sizeof buf;
    ck_assert_uint_eq(hk_query_value(wo, "B2", buf, &n), HK_ERROR_SUCCESS);
    ck_assert_str_eq(buf, "x");
    ck_assert_uint_eq(hk_set_value_ex(wo, "w", 0, HK_REG_DWORD, "1234", 4), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_value(wo, "w"), HK_ERROR_SUCCESS);
    size_t sds = 0;
    ck_assert_uint_eq(hk_get_key_security(wo, NULL, &sds), HK_ERROR_ACCESS_DENIED);
    hk_close_key(wo);

    /* generic rights and MAXIMUM_ALLOWED */
    static const struct { uint32_t access; int set, query, sec, del; } maps[] = {
        {HK_GENERIC_READ, 0, 1, 1, 0},    {HK_GENERIC_WRITE, 1, 0, 1, 0},
        {HK_GENERIC_EXECUTE, 0, 1, 1, 0}, {HK_GENERIC_ALL, 1, 1, 1, 1},
        {HK_MAXIMUM_ALLOWED, 1, 1, 1, 1}, {HK_READ_CONTROL, 0, 0, 1, 0},
    };
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        hk_key *g;
        ck_assert_uint_eq(hk_open_key(r, "A", 0, maps[i].access, &g), HK_ERROR_SUCCESS);
        hk_status want_set = maps[i].set ? HK_ERROR_SUCCESS : HK_ERROR_ACCESS_DENIED;
        ck_assert_uint_eq(hk_set_value_ex(g, "g", 0, HK_REG_DWORD, "1234", 4), want_set);
        n = sizeof buf;
        ck_assert_uint_eq(hk_query_value_ex(g, "v", NULL, buf, &n),
                          maps[i].query ? HK_ERROR_SUCCESS : HK_ERROR_ACCESS_DENIED);
        sds = 0;
        ck_assert_uint_eq(hk_get_key_security(g, NULL, &sds),
                          maps[i].sec ? HK_ERROR_SUCCESS : HK_ERROR_ACCESS_DENIED);
        ck_assert_uint_eq(hk_create_key(r, "A\\D", &c), HK_ERROR_SUCCESS);
        hk_close_key(c);
        hk_key *d;
        ck_assert_uint_eq(hk_open_key(r, "A\\D", 0, maps[i].access, &d), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_delete_key(d, ""), maps[i].del ? HK_ERROR_SUCCESS : HK_ERROR_ACCESS_DENIED);
        hk_close_key(d);
        hk_close_key(g);
    }

    /* REG_OPTION_OPEN_LINK is RegOpenKeyEx's ulOptions; other bits are not */
    ck_assert_uint_eq(hk_open_key(r, "A", HK_REG_OPTION_OPEN_LINK, HK_KEY_READ, &c), HK_ERROR_SUCCESS);
    hk_close_key(c);
    c = (hk_key *)&c;
    ck_assert_uint_eq(hk_open_key(r, "A", 0x1, HK_KEY_READ, &c), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_open_key(r, "A", 0x10, HK_KEY_READ, &c), HK_ERROR_INVALID_PARAMETER);
    ck_assert_ptr_eq(c, (hk_key *)&c);

    /* hk_delete_key_ex: a view, reserved 0 */
    ck_assert_uint_eq(hk_create_key(r, "A\\E", &c), HK_ERROR_SUCCESS);
    hk_close_key(c);
    ck_assert_uint_eq(hk_delete_key_ex(r, "A\\E", HK_KEY_WOW64_64KEY, 1), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_delete_key_ex(r, "A\\E", HK_KEY_READ, 0), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_delete_key_ex(r, "A\\E", HK_KEY_WOW64_64KEY, 0), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_open_key(r, "A\\E", 0, HK_KEY_READ, &c), HK_ERROR_FILE_NOT_FOUND);

    /* MORE_DATA: the type is set (RegEnumValue, RegQueryValueEx) */
    hk_key *a;
    ck_assert_uint_eq(hk_open_key(r, "A", 0, HK_KEY_READ, &a), HK_ERROR_SUCCESS);
    uint32_t type = 0;
    char name[8];
    size_t ns = sizeof name, ds = 1;
    ck_assert_uint_eq(hk_enum_value(a, 1, name, &ns, &type, buf, &ds), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(type, HK_REG_DWORD);
    ck_assert_uint_eq(ds, 4);
    type = 0;
    ds = 1;
    ck_assert_uint_eq(hk_query_value_ex(a, "v", &type, buf, &ds), HK_ERROR_MORE_DATA);
    ck_assert_uint_eq(type, HK_REG_DWORD);
    hk_close_key(a);
    hk_close_key(r);
    hk_hive_close(h);
}
END_TEST

START_TEST(flush_of_a_deleted_key_is_key_deleted_and_writes_nothing)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *k;
    ck_assert_uint_eq(hk_create_key(r, "Gone", &k), HK_ERROR_SUCCESS);
    char path[512];
    save_check(h, path, sizeof path, NULL);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    ck_assert_uint_eq(hk_hive_open(path, &o, &h), HK_ERROR_SUCCESS);
    r = root_of(h);
    ck_assert_uint_eq(hk_open_key(r, "Gone", 0, HK_KEY_ALL_ACCESS, &k), HK_ERROR_SUCCESS);
    struct stat before, after;
    ck_assert_int_eq(stat(path, &before), 0);
    ck_assert_uint_eq(hk_delete_key(r, "Gone"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_flush_key(k), HK_ERROR_KEY_DELETED);
    ck_assert_int_eq(stat(path, &after), 0);
    ck_assert_uint_eq((uint64_t)after.st_ino, (uint64_t)before.st_ino); /* not replaced */
    hk_key *again;
    ck_assert_uint_eq(hk_open_key(r, "Gone", 0, HK_KEY_READ, &again), HK_ERROR_FILE_NOT_FOUND);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    /* the file still holds the key: nothing was written */
    ck_assert_uint_eq(hk_hive_open(path, NULL, &h), HK_ERROR_SUCCESS);
    r = root_of(h);
    ck_assert_uint_eq(hk_open_key(r, "Gone", 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(read_only_hive_and_read_handles_refuse_writes)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *ro, *k;
    ck_assert_uint_eq(hk_create_key(r, "A", &k), HK_ERROR_SUCCESS);
    char path[512];
    save_check(h, path, sizeof path, NULL);
    ck_assert_uint_eq(hk_open_key(r, "A", 0, HK_KEY_READ, &ro), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(ro, "x", 0, HK_REG_DWORD, "1234", 4), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_delete_value(ro, "x"), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_delete_key(ro, ""), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_rename_key(ro, NULL, "Z"), HK_ERROR_ACCESS_DENIED);
    hk_close_key(ro);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);

    hk_hive *rh;
    ck_assert_uint_eq(hk_hive_open(path, NULL, &rh), HK_ERROR_SUCCESS);
    r = root_of(rh);
    ck_assert_uint_eq(hk_open_key(r, "A", 0, HK_KEY_ALL_ACCESS, &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "x", 0, HK_REG_DWORD, "1234", 4), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_delete_key(r, "A"), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_hive_save(rh, NULL, 0), HK_ERROR_ACCESS_DENIED);
    /* opening an existing key through create works on a read-only hive */
    hk_key *again;
    uint32_t disp;
    ck_assert_uint_eq(hk_create_key_ex(r, "a", 0, NULL, 0, HK_KEY_READ, &again, &disp),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(disp, HK_REG_OPENED_EXISTING_KEY);
    hk_close_key(again);
    ck_assert_uint_eq(hk_create_key(r, "New", &again), HK_ERROR_ACCESS_DENIED);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(rh);
    unlink(path);
}
END_TEST

START_TEST(delete_key_with_subkeys_is_access_denied_and_tree_goes_whole)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *k, *open_child;
    ck_assert_uint_eq(hk_create_key(r, "P\\C\\D", &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    ck_assert_uint_eq(hk_open_key(r, "P\\C", 0, HK_KEY_READ, &open_child), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_key(r, "P"), HK_ERROR_ACCESS_DENIED);
    ck_assert_uint_eq(hk_delete_key(r, "Missing"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(hk_delete_key(r, ""), HK_ERROR_ACCESS_DENIED); /* the root */
    ck_assert_uint_eq(hk_delete_key(r, "P\\C\\D"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_key(r, "P\\C\\D"), HK_ERROR_FILE_NOT_FOUND);
    ck_assert_uint_eq(hk_create_key(r, "P\\C\\E", &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "v", 0, HK_REG_BINARY, "123456789", 9), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_tree(r, "P"), HK_ERROR_SUCCESS);
    char name[8];
    size_t nsz = sizeof name;
    ck_assert_uint_eq(hk_key_name(open_child, name, &nsz), HK_ERROR_KEY_DELETED);
    ck_assert_uint_eq(hk_set_value_ex(k, "w", 0, HK_REG_DWORD, "1234", 4), HK_ERROR_KEY_DELETED);
    hk_key_info ki = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(r, NULL, NULL, &ki), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(ki.subkeys, 0);
    char path[512];
    struct verify_report rep;
    save_check(h, path, sizeof path, &rep);
    ck_assert_uint_eq(rep.keys, 1);
    ck_assert_uint_eq(rep.unreferenced, 0);
    ck_assert_uint_eq(rep.free_pairs, 0);
    hk_close_key(open_child);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(name_limits_are_windows_ones)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *k;
    char name[16400];
    memset(name, 'k', 256);
    name[256] = '\0';
    ck_assert_uint_eq(hk_create_key(r, name, &k), HK_ERROR_INVALID_PARAMETER);
    name[255] = '\0';
    ck_assert_uint_eq(hk_create_key(r, name, &k), HK_ERROR_SUCCESS);
    memset(name, 'v', 16384);
    name[16384] = '\0';
    ck_assert_uint_eq(hk_set_value_ex(k, name, 0, HK_REG_DWORD, "1234", 4),
                      HK_ERROR_INVALID_PARAMETER);
    name[16383] = '\0';
    ck_assert_uint_eq(hk_set_value_ex(k, name, 0, HK_REG_DWORD, "1234", 4), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_create_key(r, "\\lead", &k), HK_ERROR_BAD_PATHNAME);
    ck_assert_uint_eq(hk_create_key(r, "\\\\lead", &k), HK_ERROR_BAD_PATHNAME);
    /* repeated and trailing separators are tolerated: "Sub\\" creates Sub,
     * "a\\\\b" is a\b (RegCreateKeyEx) */
    uint32_t disp = 0;
    hk_key *t;
    ck_assert_uint_eq(hk_create_key_ex(r, "Sub\\", 0, NULL, 0, HK_KEY_ALL_ACCESS, &t, &disp),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(disp, HK_REG_CREATED_NEW_KEY);
    hk_close_key(t);
    ck_assert_uint_eq(hk_open_key(r, "Sub", 0, HK_KEY_READ, &t), HK_ERROR_SUCCESS);
    hk_close_key(t);
    ck_assert_uint_eq(hk_create_key_ex(r, "Sub\\\\x\\\\", 0, "cls", 0, HK_KEY_ALL_ACCESS, &t, &disp),
                      HK_ERROR_SUCCESS);
    ck_assert_uint_eq(disp, HK_REG_CREATED_NEW_KEY);
    hk_close_key(t);
    ck_assert_uint_eq(hk_open_key(r, "Sub\\x", 0, HK_KEY_READ, &t), HK_ERROR_SUCCESS);
    char cls[16];
    size_t cls_size = sizeof cls;
    ck_assert_uint_eq(hk_query_info_key(t, cls, &cls_size, NULL), HK_ERROR_SUCCESS);
    ck_assert_str_eq(cls, "cls"); /* the class went to the last key */
    hk_close_key(t);
    ck_assert_uint_eq(hk_delete_tree(r, "Sub"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_create_key_ex(r, "x", 0, NULL, 1, HK_KEY_ALL_ACCESS, &k, NULL),
                      HK_ERROR_INVALID_PARAMETER); /* volatile keys are not supported */
    ck_assert_uint_eq(hk_set_value_ex(k, "bad\xff", 0, HK_REG_DWORD, "1234", 4),
                      HK_ERROR_NO_UNICODE_TRANSLATION);
    ck_assert_uint_eq(hk_set_value(r, "sub", HK_REG_DWORD, "x"), HK_ERROR_INVALID_PARAMETER);
    char path[512];
    save_check(h, path, sizeof path, NULL);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

/* The raw first two bytes of the data cell of value name under key path. */
static void data_sig(hk_hive *h, const char *key, const char *name, char sig[3], uint32_t *raw)
{
    hk_key *r = root_of(h), *k;
    ck_assert_uint_eq(hk_open_key(r, key, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    const uint8_t *list;
    ck_assert_uint_eq(vk_list(&h->img, &k->nk, &list), HK_ERROR_SUCCESS);
    sig[0] = sig[1] = sig[2] = 0;
    for (uint32_t i = 0; i < k->nk.value_count; i++) {
        struct vk vk;
        ck_assert_uint_eq(vk_read(&h->img, le32_unchecked(list + 4 * i), &vk), HK_ERROR_SUCCESS);
        if (vk.name.len == strlen(name) && memcmp(vk.name.ptr, name, vk.name.len) == 0) {
            *raw = vk.size_raw;
            struct span b;
            if (!(vk.size_raw & VK_DATA_INLINE)) {
                ck_assert_uint_eq(cell_get(&h->img, vk.data_off, &b), HK_ERROR_SUCCESS);
                sig[0] = (char)b.ptr[0];
                sig[1] = (char)b.ptr[1];
            }
        }
    }
    hk_close_key(k);
    hk_close_key(r);
}

START_TEST(big_data_is_db_from_1_4_and_one_cell_in_1_3)
{
    uint8_t *big = malloc(197444);
    for (size_t i = 0; i < 197444; i++)
        big[i] = (uint8_t)(i * 7 + 3);
    for (uint32_t minor = 3; minor <= 5; minor += 2) {
        hk_hive *h = new_hive(minor);
        hk_key *r = root_of(h), *k;
        ck_assert_uint_eq(hk_create_key(r, "P", &k), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_set_value_ex(k, "Big", 0, HK_REG_BINARY, big, 197444), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_set_value_ex(k, "Edge", 0, HK_REG_BINARY, big, 16344), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_set_value_ex(k, "Over", 0, HK_REG_BINARY, big, 16345), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_set_value_ex(k, "In", 0, HK_REG_BINARY, big, 4), HK_ERROR_SUCCESS);
        char sig[3];
        uint32_t raw = 0;
        data_sig(h, "P", "Big", sig, &raw);
        if (minor >= 4)
            ck_assert_str_eq(sig, "db");
        else
            ck_assert(sig[0] == (char)big[0] && sig[1] == (char)big[1]); /* the data itself */
        ck_assert_uint_eq(raw, 197444);
        data_sig(h, "P", "Edge", sig, &raw);
        ck_assert_uint_ne(sig[0], 'd');
        data_sig(h, "P", "Over", sig, &raw);
        ck_assert_int_eq(strcmp(sig, "db") == 0, minor >= 4);
        data_sig(h, "P", "In", sig, &raw);
        ck_assert_uint_eq(raw, 0x80000004u);
        size_t sz = 197444;
        uint8_t *back = malloc(sz);
        ck_assert_uint_eq(hk_query_value_ex(k, "Big", NULL, back, &sz), HK_ERROR_SUCCESS);
        ck_assert_mem_eq(back, big, 197444);
        free(back);
        char path[512];
        struct verify_report rep;
        save_check(h, path, sizeof path, &rep);
        ck_assert_uint_eq(rep.unreferenced, 0);
        /* 1.3 takes at most 1 MiB (Windows' standard format) */
        if (minor == 3) {
            uint8_t *huge = calloc(1, 1024 * 1024 + 1);
            ck_assert_uint_eq(hk_set_value_ex(k, "Huge", 0, HK_REG_BINARY, huge, 1024 * 1024 + 1),
                              HK_ERROR_INVALID_PARAMETER);
            free(huge);
        }
        hk_close_key(k);
        hk_close_key(r);
        hk_hive_close(h);
        unlink(path);
    }
    free(big);
}
END_TEST

/* The signature of key's subkey list and, under an ri, each leaf's count. */
static void list_shape(hk_hive *h, const char *key, char sig[3], uint32_t *leaves, uint32_t *counts)
{
    hk_key *r = root_of(h), *k;
    ck_assert_uint_eq(hk_open_key(r, key, 0, HK_KEY_READ, &k), HK_ERROR_SUCCESS);
    struct span b;
    ck_assert_uint_eq(cell_get(&h->img, k->nk.subkeys, &b), HK_ERROR_SUCCESS);
    sig[0] = (char)b.ptr[0];
    sig[1] = (char)b.ptr[1];
    sig[2] = 0;
    *leaves = 0;
    if (sig[0] == 'r') {
        *leaves = le16_unchecked(b.ptr + 2);
        for (uint32_t i = 0; i < *leaves; i++) {
            struct span l;
            ck_assert_uint_eq(cell_get(&h->img, le32_unchecked(b.ptr + 4 + 4 * i), &l),
                              HK_ERROR_SUCCESS);
            counts[i] = le16_unchecked(l.ptr + 2);
        }
    }
    hk_close_key(k);
    hk_close_key(r);
}

/* Creating under a key finds an existing subkey wherever it sorts (the
 * last, tried first, in any case; one before it; one past the end is new),
 * also in a list split into an ri. */
START_TEST(create_finds_existing_subkeys_first_middle_and_last)
{
    static const uint32_t counts[] = {3, 1500};
    for (size_t c = 0; c < 2; c++) {
        hk_hive *h = new_hive(5);
        hk_key *r = root_of(h), *k, *child;
        ck_assert_uint_eq(hk_create_key(r, "P", &k), HK_ERROR_SUCCESS);
        char name[32];
        for (uint32_t i = 1; i <= counts[c]; i++) {
            snprintf(name, sizeof name, "k%05u", i);
            ck_assert_uint_eq(hk_create_key(k, name, &child), HK_ERROR_SUCCESS);
            hk_close_key(child);
        }
        char last[32], next[32];
        snprintf(last, sizeof last, "K%05u", counts[c]);
        snprintf(next, sizeof next, "k%05u", counts[c] + 1);
        const struct {
            const char *name;
            uint32_t disp;
        } tries[] = {
            {last, HK_REG_OPENED_EXISTING_KEY},   {"K00001", HK_REG_OPENED_EXISTING_KEY},
            {"k00002", HK_REG_OPENED_EXISTING_KEY}, {"k00000", HK_REG_CREATED_NEW_KEY},
            {next, HK_REG_CREATED_NEW_KEY},       {next, HK_REG_OPENED_EXISTING_KEY},
        };
        for (size_t t = 0; t < sizeof tries / sizeof tries[0]; t++) {
            uint32_t disp = 0;
            ck_assert_uint_eq(hk_create_key_ex(k, tries[t].name, 0, NULL, 0, HK_KEY_ALL_ACCESS,
                                               &child, &disp),
                              HK_ERROR_SUCCESS);
            ck_assert_msg(disp == tries[t].disp, "%zu/%zu: disposition %u", c, t, disp);
            hk_close_key(child);
        }
        hk_key_info info = HK_KEY_INFO_INIT;
        ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &info), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(info.subkeys, counts[c] + 2);
        hk_close_key(k);
        hk_close_key(r);
        hk_hive_close(h);
    }
}
END_TEST

START_TEST(lists_are_lh_in_1_5_lf_in_1_3_and_split_into_ri)
{
    static const struct {
        uint32_t minor;
        char sig[3];
        uint32_t cap;
    } cases[] = {{5, "lh", 1012}, {3, "lf", 506}};
    for (size_t c = 0; c < 2; c++) {
        hk_hive *h = new_hive(cases[c].minor);
        hk_key *r = root_of(h), *k, *child;
        ck_assert_uint_eq(hk_create_key(r, "Many", &k), HK_ERROR_SUCCESS);
        char name[32];
        /* descending creation order: every insert goes to the front */
        for (uint32_t i = cases[c].cap; i > 0; i--) {
            snprintf(name, sizeof name, "key%05u", i);
            ck_assert_uint_eq(hk_create_key(k, name, &child), HK_ERROR_SUCCESS);
            hk_close_key(child);
        }
        char sig[3];
        uint32_t leaves, counts[64];
        list_shape(h, "Many", sig, &leaves, counts);
        ck_assert_str_eq(sig, cases[c].sig);
        ck_assert_uint_eq(hk_create_key(k, "key00000", &child), HK_ERROR_SUCCESS);
        hk_close_key(child);
        list_shape(h, "Many", sig, &leaves, counts);
        ck_assert_str_eq(sig, "ri");
        ck_assert_uint_eq(leaves, 2);
        ck_assert_uint_eq(counts[0], (cases[c].cap + 1) / 2);
        ck_assert_uint_eq(counts[0] + counts[1], cases[c].cap + 1);
        for (uint32_t i = 5000; i < 7000; i++) {
            snprintf(name, sizeof name, "KEY%05u", i);
            ck_assert_uint_eq(hk_create_key(k, name, &child), HK_ERROR_SUCCESS);
            hk_close_key(child);
        }
        hk_key_info ki = HK_KEY_INFO_INIT;
        ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &ki), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(ki.subkeys, cases[c].cap + 2001);
        char path[512];
        struct verify_report rep;
        save_check(h, path, sizeof path, &rep);
        ck_assert_uint_eq(rep.unreferenced, 0);
        /* delete them all again: lists shrink to nothing */
        for (uint32_t i = 0; i <= cases[c].cap; i++) {
            snprintf(name, sizeof name, "key%05u", i);
            ck_assert_uint_eq(hk_delete_key(k, name), HK_ERROR_SUCCESS);
        }
        ck_assert_uint_eq(hk_delete_tree(k, NULL), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(hk_query_info_key(k, NULL, NULL, &ki), HK_ERROR_SUCCESS);
        ck_assert_uint_eq(ki.subkeys, 0);
        unlink(path);
        save_check(h, path, sizeof path, &rep);
        ck_assert_uint_eq(rep.unreferenced, 0);
        ck_assert_uint_eq(rep.keys, 2);
        hk_close_key(k);
        hk_close_key(r);
        hk_hive_close(h);
        unlink(path);
    }
}
END_TEST

START_TEST(lh_hash_and_lf_hint_follow_windows_upcase)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *k;
    ck_assert_uint_eq(hk_create_key(r, "Software", &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    ck_assert_uint_eq(hk_create_key(r, "\xc3\xa9t\xc3\xa9", &k), HK_ERROR_SUCCESS); /* été */
    hk_close_key(k);
    ck_assert_uint_eq(hk_create_key(r, "\xe2\x82\xac", &k), HK_ERROR_SUCCESS);       /* € */
    hk_close_key(k);
    struct span b;
    ck_assert_uint_eq(cell_get(&h->img, r->nk.subkeys, &b), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(le16_unchecked(b.ptr + 2), 3);
    /* order: SOFTWARE < ÉTÉ (0xC9) < € (0x20AC) */
    ck_assert_uint_eq(le32_unchecked(b.ptr + 8), 0xE9FE1463u);
    uint32_t h2 = ((0xC9u * 37u) + 'T') * 37u + 0xC9u;
    ck_assert_uint_eq(le32_unchecked(b.ptr + 16), h2);
    ck_assert_uint_eq(le32_unchecked(b.ptr + 24), 0x20ACu);
    hk_close_key(r);
    hk_hive_close(h);

    h = new_hive(3);
    r = root_of(h);
    ck_assert_uint_eq(hk_create_key(r, "ab", &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    ck_assert_uint_eq(hk_create_key(r, "Software", &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    ck_assert_uint_eq(hk_create_key(r, "x\xe2\x82\xac", &k), HK_ERROR_SUCCESS);
    hk_close_key(k);
    ck_assert_uint_eq(cell_get(&h->img, r->nk.subkeys, &b), HK_ERROR_SUCCESS);
    ck_assert_mem_eq(b.ptr, "lf\x03\x00", 4);
    ck_assert_mem_eq(b.ptr + 8, "ab\0\0", 4);
    ck_assert_mem_eq(b.ptr + 16, "Soft", 4);
    ck_assert_mem_eq(b.ptr + 24, "\0\0\0\0", 4);
    char path[512];
    save_check(h, path, sizeof path, NULL);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(values_keep_their_order_and_place)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h);
    const char *names[] = {"z", "a", "M", "b"};
    for (int i = 0; i < 4; i++)
        ck_assert_uint_eq(hk_set_value_ex(r, names[i], 0, HK_REG_DWORD, "\1\0\0\0", 4),
                          HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(r, "A", 0, HK_REG_SZ, "l\0o\0n\0g\0\0\0", 10), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_value(r, "m"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_value(r, "m"), HK_ERROR_FILE_NOT_FOUND);
    const char *want[] = {"z", "a", "b"};
    for (uint32_t i = 0; i < 3; i++) {
        char name[8];
        size_t nsz = sizeof name;
        uint32_t type;
        ck_assert_uint_eq(hk_enum_value(r, i, name, &nsz, &type, NULL, NULL), HK_ERROR_SUCCESS);
        ck_assert_str_eq(name, want[i]);
        ck_assert_uint_eq(type, i == 1 ? HK_REG_SZ : HK_REG_DWORD);
    }
    char path[512];
    struct verify_report rep;
    save_check(h, path, sizeof path, &rep);
    ck_assert_uint_eq(rep.unreferenced, 0);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(rename_moves_the_key_in_order_and_keeps_handles)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *k, *c;
    ck_assert_uint_eq(hk_create_key(r, "B", &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_create_key(k, "Child", &c), HK_ERROR_SUCCESS);
    hk_close_key(c);
    ck_assert_uint_eq(hk_create_key(r, "C", &c), HK_ERROR_SUCCESS);
    hk_close_key(c);
    ck_assert_uint_eq(hk_rename_key(r, "B", "c"), HK_ERROR_ALREADY_EXISTS);
    ck_assert_uint_eq(hk_rename_key(r, "B", "a\\b"), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_rename_key(r, "B", "A much longer name than before"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_rename_key(k, NULL, "D"), HK_ERROR_SUCCESS);
    char name[64];
    size_t nsz = sizeof name;
    ck_assert_uint_eq(hk_key_name(k, name, &nsz), HK_ERROR_SUCCESS);
    ck_assert_str_eq(name, "D");
    nsz = sizeof name;
    ck_assert_uint_eq(hk_enum_key(r, 1, name, &nsz), HK_ERROR_SUCCESS);
    ck_assert_str_eq(name, "D");
    ck_assert_uint_eq(hk_open_key(r, "D\\Child", 0, HK_KEY_READ, &c), HK_ERROR_SUCCESS);
    hk_close_key(c);
    ck_assert_uint_eq(hk_rename_key(r, NULL, "NEWROOT"), HK_ERROR_SUCCESS);
    char path[512];
    struct verify_report rep;
    save_check(h, path, sizeof path, &rep);
    ck_assert_uint_eq(rep.unreferenced, 0);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(copy_tree_and_save_key)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *k, *dst;
    ck_assert_uint_eq(hk_create_key(r, "Src\\A\\B", &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "v", 0, HK_REG_SZ, "x\0\0\0", 4), HK_ERROR_SUCCESS);
    hk_close_key(k);
    ck_assert_uint_eq(hk_open_key(r, "Src", 0, HK_KEY_ALL_ACCESS, &k), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(k, "top", 0, HK_REG_DWORD, "\7\0\0\0", 4), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_copy_tree(r, "Src", k), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_create_key(r, "Dst", &dst), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_copy_tree(r, "Src", dst), HK_ERROR_SUCCESS);
    hk_key *b;
    ck_assert_uint_eq(hk_open_key(dst, "A\\B", 0, HK_KEY_READ, &b), HK_ERROR_SUCCESS);
    char v[8];
    size_t vs = sizeof v;
    ck_assert_uint_eq(hk_query_value_ex(b, "v", NULL, v, &vs), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(vs, 4);
    hk_close_key(b);
    char path[512], sub[512];
    struct verify_report rep;
    save_check(h, path, sizeof path, &rep);
    ck_assert_uint_eq(rep.unreferenced, 0);
    temp_path(sub, sizeof sub, "sub");
    ck_assert_uint_eq(hk_save_key(k, sub, 0), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_save_key(k, sub, 0), HK_ERROR_ALREADY_EXISTS); /* RegSaveKey's 183 */
    ck_assert_uint_eq(hk_save_key(k, sub, HK_SAVE_OVERWRITE), HK_ERROR_SUCCESS);
    verify_file(sub, &rep);
    ck_assert_uint_eq(rep.keys, 3);
    ck_assert_uint_eq(rep.unreferenced, 0);
    char *a = dump_hivekit_file(sub), *x = dump_hivex_file(sub);
    ck_assert_str_eq(a, x);
    ck_assert_str_eq(a, "[]\n  \"top\" type 4 len 4 07000000\n[\\A]\n[\\A\\B]\n"
                        "  \"v\" type 1 len 4 78000000\n");
    free(a);
    free(x);
    hk_hive *sh;
    ck_assert_uint_eq(hk_hive_open(sub, NULL, &sh), HK_ERROR_SUCCESS);
    hk_key *sr = root_of(sh);
    char name[16];
    size_t nsz = sizeof name;
    ck_assert_uint_eq(hk_key_name(sr, name, &nsz), HK_ERROR_SUCCESS);
    ck_assert_str_eq(name, "Src");
    hk_close_key(sr);
    hk_hive_close(sh);
    hk_close_key(dst);
    hk_close_key(k);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
    unlink(sub);
}
END_TEST

START_TEST(save_key_keeps_class_security_times_and_link_flags)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *top, *link;
    ck_assert_uint_eq(hk_create_key(r, "Top", &top), HK_ERROR_SUCCESS);
    hk_hive_set_clock(h, CLOCK + 5);
    ck_assert_uint_eq(hk_create_key_ex(top, "Link", 0, "LinkClass", 0, HK_KEY_ALL_ACCESS, &link,
                                       NULL), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_set_value_ex(link, "SymbolicLinkValue", 0, HK_REG_LINK, "\\\0R\0", 4),
                      HK_ERROR_SUCCESS);
    uint8_t *nk = cell_body_unchecked(&h->img, link->nk.off);
    nk[NK_FLAGS] |= NK_FLAG_SYM_LINK;
    uint8_t sd[256];
    size_t n = sizeof sd;
    ck_assert_uint_eq(hk_get_key_security(link, sd, &n), HK_ERROR_SUCCESS);
    sd[n - 1] ^= 1; /* another group SID: the link gets its own descriptor */
    ck_assert_uint_eq(hk_set_key_security(link, HK_GROUP_SECURITY_INFORMATION, sd, n),
                      HK_ERROR_SUCCESS);
    hk_hive_set_clock(h, CLOCK + 9);
    char path[512];
    temp_path(path, sizeof path, "savekey");
    ck_assert_uint_eq(hk_save_key(top, path, 0), HK_ERROR_SUCCESS);
    struct verify_report rep;
    verify_file(path, &rep);
    ck_assert_uint_eq(rep.keys, 2);
    ck_assert_uint_eq(rep.sks, 2);
    ck_assert_uint_eq(rep.unreferenced, 0);
    hk_hive *s;
    ck_assert_uint_eq(hk_hive_open(path, NULL, &s), HK_ERROR_SUCCESS);
    hk_key *sr = root_of(s), *sl;
    ck_assert_uint_eq(hk_open_key(sr, "link", 0, HK_KEY_READ, &sl), HK_ERROR_SUCCESS);
    ck_assert(sl->nk.flags & NK_FLAG_SYM_LINK);
    char cls[32];
    size_t csz = sizeof cls;
    hk_key_info ki = HK_KEY_INFO_INIT;
    ck_assert_uint_eq(hk_query_info_key(sl, cls, &csz, &ki), HK_ERROR_SUCCESS);
    ck_assert_str_eq(cls, "LinkClass");
    ck_assert_uint_eq(ki.last_write, CLOCK + 5);
    uint8_t got[256];
    size_t gn = sizeof got;
    ck_assert_uint_eq(hk_get_key_security(sl, got, &gn), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(gn, n);
    ck_assert_mem_eq(got, sd, n);
    ck_assert_uint_eq(hk_query_info_key(sr, NULL, NULL, &ki), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(ki.last_write, CLOCK + 5); /* Top, as of its new subkey */
    hk_hive_info hi = HK_HIVE_INFO_INIT;
    ck_assert_uint_eq(hk_hive_info_get(s, &hi), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hi.last_written, CLOCK + 9);
    hk_close_key(sl);
    hk_close_key(sr);
    hk_hive_close(s);
    hk_close_key(link);
    hk_close_key(top);
    hk_close_key(r);
    hk_hive_close(h);
    unlink(path);
}
END_TEST

START_TEST(security_is_shared_and_counted)
{
    hk_hive *h = new_hive(5);
    hk_key *r = root_of(h), *a, *b;
    ck_assert_uint_eq(hk_create_key(r, "A", &a), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_create_key(r, "B", &b), HK_ERROR_SUCCESS);
    uint8_t sd[256];
    size_t n = sizeof sd;
    ck_assert_uint_eq(hk_get_key_security(a, sd, &n), HK_ERROR_SUCCESS);
    /* a different owner: S-1-5-18 instead of Administrators */
    uint8_t other[256];
    memcpy(other, sd, n);
    uint32_t owner = (uint32_t)other[4] | (uint32_t)other[5] << 8;
    uint32_t group = (uint32_t)other[8] | (uint32_t)other[9] << 8;
    ck_assert_uint_eq(hk_set_key_security(a, HK_OWNER_SECURITY_INFORMATION, other, n),
                      HK_ERROR_SUCCESS); /* same bytes: stays shared */
    struct verify_report rep;
    verify_hive(h, &rep);
    ck_assert_uint_eq(rep.sks, 1);
    memcpy(other + owner, other + group, 12);
    other[owner + 1] = 1;
    ck_assert_uint_eq(hk_set_key_security(a, HK_OWNER_SECURITY_INFORMATION, other, n),
                      HK_ERROR_SUCCESS);
    verify_hive(h, &rep);
    ck_assert_uint_eq(rep.sks, 2);
    ck_assert_uint_eq(hk_set_key_security(b, HK_OWNER_SECURITY_INFORMATION, other, n),
                      HK_ERROR_SUCCESS);
    verify_hive(h, &rep);
    ck_assert_uint_eq(rep.sks, 2);
    hk_key *c;
    ck_assert_uint_eq(hk_create_key(a, "C", &c), HK_ERROR_SUCCESS); /* takes A's */
    uint8_t got[256], gotc[256];
    size_t ng = sizeof got, nc = sizeof gotc;
    ck_assert_uint_eq(hk_get_key_security(a, got, &ng), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_get_key_security(c, gotc, &nc), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(ng, nc);
    ck_assert_mem_eq(got, gotc, ng);
    ck_assert_uint_eq(hk_delete_key(a, "C"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_key(r, "A"), HK_ERROR_SUCCESS);
    ck_assert_uint_eq(hk_delete_key(r, "B"), HK_ERROR_SUCCESS);
    verify_hive(h, &rep);
    ck_assert_uint_eq(rep.sks, 1);
    ck_assert_uint_eq(rep.unreferenced, 0);
    ck_assert_uint_eq(hk_set_key_security(r, 0x10, sd, n), HK_ERROR_INVALID_PARAMETER);
    ck_assert_uint_eq(hk_set_key_security(r, HK_DACL_SECURITY_INFORMATION, sd, 10),
                      HK_ERROR_INVALID_PARAMETER);
    hk_close_key(c);
    hk_close_key(a);
    hk_close_key(b);
    hk_close_key(r);
    hk_hive_close(h);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("edit_api");
    TCase *t = tcase_create("api");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, new_hive_saves_and_reads_back_through_libhivex);
    tcase_add_test(t, read_only_hive_and_read_handles_refuse_writes);
    tcase_add_test(t, handle_rights_are_winreg_ones);
    tcase_add_test(t, flush_of_a_deleted_key_is_key_deleted_and_writes_nothing);
    tcase_add_test(t, delete_key_with_subkeys_is_access_denied_and_tree_goes_whole);
    tcase_add_test(t, name_limits_are_windows_ones);
    tcase_add_test(t, big_data_is_db_from_1_4_and_one_cell_in_1_3);
    tcase_add_test(t, create_finds_existing_subkeys_first_middle_and_last);
    tcase_add_test(t, lists_are_lh_in_1_5_lf_in_1_3_and_split_into_ri);
    tcase_add_test(t, lh_hash_and_lf_hint_follow_windows_upcase);
    tcase_add_test(t, values_keep_their_order_and_place);
    tcase_add_test(t, rename_moves_the_key_in_order_and_keeps_handles);
    tcase_add_test(t, copy_tree_and_save_key);
    tcase_add_test(t, save_key_keeps_class_security_times_and_link_flags);
    tcase_add_test(t, security_is_shared_and_counted);
    suite_add_tcase(s, t);
    return s;
}
