/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _XOPEN_SOURCE 700
#include "volume.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "hivekit.h"
#include "tempdir.h"

const char *vol_path(const char *vol, const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", vol, rel);
    return buf;
}

unsigned char *vol_read(const char *vol, const char *rel, size_t *len)
{
    return slurp(vol_path(vol, rel), len);
}

static const char *const others[VOL_OTHERS] = {VOL_SOFTWARE, VOL_DEFAULT, VOL_ALICE,
                                               VOL_ALICE_CLASSES, VOL_BOB};

void vol_snapshot_others(const char *vol, struct vol_snapshot *s)
{
    for (int i = 0; i < VOL_OTHERS; i++)
        s->bytes[i] = vol_read(vol, others[i], &s->len[i]);
}

void vol_others_unchanged(const char *vol, struct vol_snapshot *s)
{
    for (int i = 0; i < VOL_OTHERS; i++) {
        size_t len;
        unsigned char *now = vol_read(vol, others[i], &len);
        ck_assert_msg(len == s->len[i] && memcmp(now, s->bytes[i], len) == 0, "%s changed",
                      others[i]);
        free(now);
        free(s->bytes[i]);
    }
}

/* mkdir -p of the folder part of path. */
static void make_dirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(buf, 0755);
        *p = '/';
    }
}

/* A link key below root: name -> target. */
static void make_link(hk_key *root, const char *name, const char *target)
{
    hk_key *k;
    ck_assert_uint_eq(hk_create_key_ex(root, name, 0, NULL, HK_REG_OPTION_CREATE_LINK,
                                       HK_KEY_ALL_ACCESS, &k, NULL),
                      HK_ERROR_SUCCESS);
    unsigned char data[512];
    size_t n = strlen(target);
    for (size_t i = 0; i < n; i++) {
        data[2 * i] = (unsigned char)target[i];
        data[2 * i + 1] = 0;
    }
    ck_assert_uint_eq(hk_set_value_ex(k, "SymbolicLinkValue", 0, HK_REG_LINK, data, 2 * n),
                      HK_ERROR_SUCCESS);
    hk_close_key(k);
}

/* Builds fixture spec (a .reg of tests/registry) into vol/rel. */
static void build(const char *vol, const char *spec, const char *root_name, const char *rel,
                  int links)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", REGISTRY_FIXTURES, spec);
    size_t len;
    char *text = slurp(path, &len);
    hk_hive *h;
    ck_assert_uint_eq(hk_hive_create(5, root_name, &h), HK_ERROR_SUCCESS);
    hk_hive_set_clock(h, 133000000000000000ull);
    hk_key *root;
    ck_assert_uint_eq(hk_hive_root(h, &root), HK_ERROR_SUCCESS);
    hk_import_options io = HK_IMPORT_OPTIONS_INIT;
    ck_assert_msg(hk_import_reg(root, text, len, &io) == HK_ERROR_SUCCESS, "%s: %s", spec,
                  hk_errmsg());
    if (links) {
        make_link(root, "LinkToServices", "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services");
        make_link(root, "LoopA", "\\REGISTRY\\MACHINE\\SOFTWARE\\LoopB");
        make_link(root, "LoopB", "\\REGISTRY\\MACHINE\\SOFTWARE\\LoopA");
        make_link(root, "LinkToAlice", "\\Registry\\User\\" SID_ALICE "\\Software");
    }
    hk_close_key(root);
    const char *out = vol_path(vol, rel);
    make_dirs(out);
    ck_assert_uint_eq(hk_hive_save(h, out, HK_SAVE_OVERWRITE), HK_ERROR_SUCCESS);
    hk_hive_close(h);
    free(text);
}

char *vol_make(void)
{
    char *vol = tempdir_new("volume");
    build(vol, "system.reg", "SYSTEM", VOL_SYSTEM, 0);
    build(vol, "software.reg", "SOFTWARE", VOL_SOFTWARE, 1);
    build(vol, "default.reg", ".DEFAULT", VOL_DEFAULT, 0);
    build(vol, "alice.reg", "ROOT", VOL_ALICE, 0);
    build(vol, "alice_classes.reg", "ROOT", VOL_ALICE_CLASSES, 0);
    build(vol, "bob.reg", "ROOT", VOL_BOB, 0);
    /* the profile of S-1-5-21-1-2-3-1003 (C:\Users\ghost) is missing */
    return vol;
}
