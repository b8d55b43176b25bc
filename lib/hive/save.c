/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Saving an image: base block finalized, then one atomic write (hive layer). */
#include "hive/save.h"

#include <string.h>


void baseblock_encode(const struct base_block *bb, uint8_t *out)
{
    memset(out, 0, HBIN_START);
    memcpy(out, REGF_SIG, FILE_SIG_LEN);
    put_le32(out + BB_SEQ1, bb->seq1);
    put_le32(out + BB_SEQ2, bb->seq2);
    put_le64(out + BB_TIME, bb->last_written);
    put_le32(out + BB_MAJOR, bb->major);
    put_le32(out + BB_MINOR, bb->minor);
    put_le32(out + BB_TYPE, bb->type);
    put_le32(out + BB_FORMAT, bb->format);
    put_le32(out + BB_ROOT, bb->root);
    put_le32(out + BB_BINS_SIZE, bb->bins_size);
    put_le32(out + BB_CLUSTER, bb->clustering);
    memcpy(out + BB_NAME, bb->file_name, sizeof bb->file_name);
    put_le32(out + BB_CHECKSUM, baseblock_checksum(out));
}

/* The new base block: the old one's bytes (fields Windows added later, such
 * as the RmId GUIDs, are kept), with the fields a flush sets rewritten. */
static void finalize(const struct hive_image *img, uint64_t now, uint8_t *out)
{
    memcpy(out, img->file.data, HBIN_START);
    uint32_t seq = img->bb.seq1 + 1;
    put_le32(out + BB_SEQ1, seq);
    put_le32(out + BB_SEQ2, seq);
    put_le64(out + BB_TIME, now);
    put_le32(out + BB_TYPE, 0);
    put_le32(out + BB_FORMAT, 1);
    put_le32(out + BB_ROOT, img->bb.root);
    put_le32(out + BB_BINS_SIZE, img->bins_size);
    put_le32(out + BB_CHECKSUM, baseblock_checksum(out));
}

hk_status image_save(struct hive_image *img, const char *path, struct file_write *w, uint64_t now)
{
    uint8_t base[HBIN_START];
    finalize(img, now, base);
    if (img->writable)
        put_le64(img->file.data + HBIN_START + HBIN_TIME, now);
    const uint8_t *pieces[2] = {base, img->file.data + HBIN_START};
    size_t sizes[2] = {HBIN_START, img->bins_size};
    hk_status st = file_write_ex(path, pieces, sizes, 2, w, DIAG_DETAIL);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (img->writable) {
        memcpy(img->file.data, base, HBIN_START);
        img->bb.seq1 = img->bb.seq2 = le32_unchecked(base + BB_SEQ1);
        img->bb.last_written = now;
        img->bb.bins_size = img->bins_size;
        img->bb.checksum_stored = img->bb.checksum_computed = le32_unchecked(base + BB_CHECKSUM);
    }
    return HK_ERROR_SUCCESS;
}
