/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* New hives and saving: hk_hive_create, hk_hive_save, FlushKey, SaveKey (api layer). */
#include <string.h>
#include <sys/stat.h>

#include "api/edit.h"
#include "base/alloc.h"
#include "base/filewrite.h"
#include "hive/save.h"
#include "record/sk.h"
#include "tree/newhive.h"

static hk_status new_hive(uint32_t minor, const uint16_t *name, size_t n, const uint8_t *sd,
                          uint32_t sd_len, uint64_t now, hk_hive **out)
{
    hk_hive *h = hk_alloc_zero(1, sizeof *h);
    if (!h)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    hk_status st = newhive_create(&h->img, minor, name, n, sd, sd_len, now);
    if (st != HK_ERROR_SUCCESS) {
        image_free(&h->img);
        hk_dealloc(h);
        return st;
    }
    h->refs = 1;
    h->write_mode = true;
    *out = h;
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_hive_create(uint32_t minor_version, const char *root_name, hk_hive **out)
{
    api_enter();
    if (!out || minor_version < 3 || minor_version > 6)
        return HK_ERROR_INVALID_PARAMETER;
    struct edit_name nm;
    const char *name = root_name ? root_name : "ROOT";
    hk_status st = edit_name_init(&nm, name, strlen(name));
    if (st != HK_ERROR_SUCCESS)
        return st;
    for (size_t i = 0; i < nm.n; i++)
        if (nm.units[i] == '\\')
            st = HK_ERROR_INVALID_PARAMETER;
    if (nm.n == 0 || nm.n > HK_MAX_KEY_NAME)
        st = HK_ERROR_INVALID_PARAMETER;
    if (st == HK_ERROR_SUCCESS) {
        hk_hive probe = {0};
        st = new_hive(minor_version, nm.units, nm.n, NULL, 0, hive_now(&probe), out);
    }
    edit_name_free(&nm);
    return st;
}

#define SAVE_FLAGS (HK_SAVE_OVERWRITE | HK_SAVE_BREAK_LINKS)

/* The file_write flags of hk_save_* flags, for path. */
static uint32_t write_flags(uint32_t flags, const char *path)
{
    return (flags & HK_SAVE_OVERWRITE ? FILE_WRITE_OVERWRITE : 0) |
           (flags & HK_SAVE_BREAK_LINKS ? FILE_WRITE_BREAK_LINKS : 0) |
           (file_name_is_gz(path) ? FILE_WRITE_GZIP : 0);
}

/* Whether path names the file the hive was opened from for writing. */
static bool is_own_file(const hk_hive *h, const char *path)
{
    struct stat st;
    return h->has_writer && stat(path, &st) == 0 && (uint64_t)st.st_dev == h->writer.id.dev &&
           (uint64_t)st.st_ino == h->writer.id.ino;
}

HK_API hk_status hk_hive_save(hk_hive *hive, const char *path, uint32_t flags)
{
    api_enter();
    if (!hive)
        return HK_ERROR_INVALID_PARAMETER;
    if (flags & ~(uint32_t)SAVE_FLAGS)
        return HK_ERROR_INVALID_PARAMETER;
    if (!path) {
        if (!hive->write_mode || !hive->path)
            return diag_set(DIAG_DETAIL, hive->write_mode ? HK_ERROR_INVALID_PARAMETER
                                                              : HK_ERROR_ACCESS_DENIED,
                            "no file to save to: the hive was %s",
                            hive->write_mode ? "not opened from a file" : "opened read-only");
        path = hive->path;
        flags |= HK_SAVE_OVERWRITE;
    }
    bool own = path == hive->path || (hive->path && strcmp(path, hive->path) == 0) ||
               is_own_file(hive, path);
    hk_status st = hive_check_clean(hive);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct file_write w;
    memset(&w, 0, sizeof w);
    w.flags = write_flags(flags, path);
    /* Back to the file it came from: as it was (gzip stays gzip), and only
     * if no one else wrote it since; the writer's lock moves to the new file. */
    if (own && hive->has_writer) {
        if (hive->source_gzip)
            w.flags |= FILE_WRITE_GZIP;
        w.expect = &hive->writer.id;
        w.lock_fd = &hive->writer.fd;
    }
    st = image_save(&hive->img, path, &w, hive_now(hive));
    if (w.expect && w.written.ino != 0) /* renamed into place (a later step may have failed) */
        hive->writer.id = w.written;
    if (st == HK_ERROR_SUCCESS)
        memcpy(hive->save_note, w.note, sizeof hive->save_note);
    return st;
}

HK_API const char *hk_hive_save_note(const hk_hive *hive)
{
    return hive ? hive->save_note : "";
}

HK_API hk_status hk_flush_key(hk_key *key)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    hk_status st = key_sync(key); /* a deleted key: KEY_DELETED, nothing written */
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (!key->hive->write_mode)
        return HK_ERROR_SUCCESS; /* nothing can have changed */
    return hk_hive_save(key->hive, NULL, HK_SAVE_OVERWRITE);
}

/* The key's name as units, for the new root. */
static hk_status key_units(hk_key *key, struct edit_name *nm)
{
    struct name_ref n = key->nk.name;
    nm->n = name_units(n);
    nm->units = hk_alloc((2 * nm->n + 1) * sizeof *nm->units);
    if (!nm->units)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    nm->up = nm->units + nm->n;
    for (uint32_t i = 0; i < nm->n; i++)
        nm->units[i] = name_unit(n, i);
    return HK_ERROR_SUCCESS;
}

HK_API hk_status hk_save_key(hk_key *key, const char *path, uint32_t flags)
{
    api_enter();
    if (!key)
        return HK_ERROR_INVALID_HANDLE;
    if (!path || (flags & ~(uint32_t)SAVE_FLAGS))
        return HK_ERROR_INVALID_PARAMETER;
    hk_status st = key_sync(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_hive *h = key->hive;
    st = hive_check_clean(h);
    if (st != HK_ERROR_SUCCESS)
        return st;
    struct hive_image *img = &h->img;
    uint64_t now = hive_now(h);
    const uint8_t *sd = NULL;
    uint32_t sd_len = 0;
    uint8_t *sd_copy = NULL;
    if (key->nk.sk != CELL_NIL) {
        struct sk sk;
        st = sk_read(img, key->nk.sk, &sk);
        if (st != HK_ERROR_SUCCESS)
            return st;
        sd_len = (uint32_t)sk.descriptor.len;
        sd_copy = hk_alloc(sd_len);
        if (!sd_copy)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        memcpy(sd_copy, sk.descriptor.ptr, sd_len);
        sd = sd_copy;
    }
    struct edit_name nm = {0};
    hk_hive *out = NULL;
    st = key_units(key, &nm);
    if (st == HK_ERROR_SUCCESS)
        st = new_hive(img->bb.minor, nm.units, nm.n, sd, sd_len, key->nk.last_write, &out);
    if (st == HK_ERROR_SUCCESS)
        st = tree_copy_class(img, key->nk.off, &out->img, out->img.bb.root);
    if (st == HK_ERROR_SUCCESS)
        st = tree_copy(img, key->nk.off, &out->img, out->img.bb.root, true, now, key->depth);
    if (st == HK_ERROR_SUCCESS) {
        uint8_t *root = out->img.file.data + HBIN_START + out->img.bb.root + 4;
        put_le32(root + NK_TIME, (uint32_t)key->nk.last_write);
        put_le32(root + NK_TIME + 4, (uint32_t)(key->nk.last_write >> 32));
        struct file_write w;
        memset(&w, 0, sizeof w);
        w.flags = write_flags(flags, path);
        st = image_save(&out->img, path, &w, now);
        if (st == HK_ERROR_FILE_EXISTS)
            st = HK_ERROR_ALREADY_EXISTS; /* RegSaveKey's error for an existing file */
        if (st == HK_ERROR_SUCCESS) /* a failure's detail, the copy's, is the thread's */
            memcpy(h->save_note, w.note, sizeof h->save_note);
    }
    if (out)
        hk_hive_close(out);
    edit_name_free(&nm);
    hk_dealloc(sd_copy);
    return st;
}
