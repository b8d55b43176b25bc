/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The integrity check: the key tree from the root (forensic layer).
 *
 * Each key node is reached once, through the reference map, so a list that
 * points back up the tree or twice at one key ends the walk there with a
 * finding instead of a loop. Per key:
 *   record   "nk" signature, header and name inside the cell, parent link;
 *   subkeys  li/lf/lh leaves or an ri of leaves, entries inside their cells,
 *            names in Windows' order without duplicates, lf hints and lh
 *            hashes, entries summing to the key's count;
 *   values   the list inside its cell, each "vk" record, its data inline
 *            (<= 4 bytes), in one cell, or in big-data segments;
 *   class    inside its cell; security cell present and an "sk";
 *   maxima   the largest subkey name and class, value name and data never
 *            above what the key records.
 */
#include <string.h>

#include "forensic/check_int.h"
#include "record/encode.h"
#include "record/name.h"
#include "record/nk.h"
#include "record/vk.h"

/* The rule part of the detail a record decoder left in the checker's
 * scratch ("...: RULE"). */
static const char *decoder_rule(const struct checker *ck)
{
    const char *p = strstr(ck->scratch.msg, "): ");
    return p ? p + 3 : ck->scratch.msg;
}

/* ---- values ---------------------------------------------------------------- */

static void check_bigdata(struct checker *ck, const struct vk *vk, uint32_t len, struct span db)
{
    uint32_t off = vk->data_off;
    if (db.len < DB_HEADER) {
        chk_report(ck, HK_CHECK_ERROR, off, "bigdata", "big data record 0x%x of %zu bytes is too short",
                   off, db.len);
        return;
    }
    uint32_t count = le16_unchecked(db.ptr + DB_COUNT), list_off = le32_unchecked(db.ptr + DB_LIST);
    uint32_t need = (len + BIGDATA_SEGMENT - 1) / BIGDATA_SEGMENT;
    if (count != need)
        chk_report(ck, HK_CHECK_ERROR, off, "bigdata",
                   "big data record 0x%x has %u segments where %u bytes need %u", off, count, len,
                   need);
    struct span list;
    if (!chk_ref(ck, list_off, false, &list, "segment list of big data record", off))
        return;
    if ((size_t)count * 4 > list.len) {
        chk_report(ck, HK_CHECK_ERROR, list_off, "bigdata",
                   "big data segment list 0x%x of %zu bytes cannot hold %u segments", list_off,
                   list.len, count);
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint32_t seg_off = le32_unchecked(list.ptr + 4 * (size_t)i);
        uint32_t want = i + 1 < need ? BIGDATA_SEGMENT
                                     : (i + 1 == need ? len - BIGDATA_SEGMENT * (need - 1) : 0);
        struct span seg;
        if (chk_ref(ck, seg_off, false, &seg, "segment of big data record", off) && seg.len < want)
            chk_report(ck, HK_CHECK_ERROR, seg_off, "bigdata",
                       "big data segment %u (0x%x) holds %zu bytes, %u expected", i, seg_off,
                       seg.len, want);
    }
}

static void check_value_data(struct checker *ck, const struct vk *vk)
{
    uint32_t len = vk->size_raw & ~VK_DATA_INLINE;
    if (vk->size_raw & VK_DATA_INLINE) {
        if (len > 4)
            chk_report(ck, HK_CHECK_ERROR, vk->off, "value-inline",
                       "value 0x%x keeps %u bytes inline (at most 4 fit)", vk->off, len);
        return;
    }
    struct span b;
    if (len == 0 || !chk_ref(ck, vk->data_off, false, &b, "data of value", vk->off))
        return;
    bool big = ck->img->bb.minor >= 4 && len > BIGDATA_SEGMENT;
    if (big && cell_has_sig(b, DB_SIG) && b.len < len) {
        check_bigdata(ck, vk, len, b);
    } else if (len > b.len) {
        chk_report(ck, HK_CHECK_ERROR, vk->data_off, "value-data",
                   "data of value 0x%x: %u bytes do not fit the %zu-byte cell 0x%x", vk->off, len,
                   b.len, vk->data_off);
    } else if (big) {
        chk_report(ck, HK_CHECK_ERROR, vk->data_off, "bigdata",
                   "value 0x%x keeps %u bytes in one cell; hive version 1.%u needs a big data record",
                   vk->off, len, ck->img->bb.minor);
    }
}

static void check_values(struct checker *ck, const struct nk *nk)
{
    struct span list;
    if (nk->value_count == 0 || !chk_ref(ck, nk->values, false, &list, "value list of key", nk->off))
        return;
    uint32_t n = nk->value_count;
    if ((uint64_t)n * 4 > list.len) {
        chk_report(ck, HK_CHECK_ERROR, nk->values, "value-count",
                   "value list 0x%x of key 0x%x has room for %zu values, the key counts %u",
                   nk->values, nk->off, list.len / 4, n);
        n = (uint32_t)(list.len / 4);
    }
    uint32_t max_name = 0, max_data = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t off = le32_unchecked(list.ptr + 4 * (size_t)i);
        struct span b;
        struct vk vk;
        if (!chk_ref(ck, off, false, &b, "value of key", nk->off))
            continue;
        if (!cell_has_sig(b, VK_SIG)) {
            chk_report(ck, HK_CHECK_ERROR, off, "signature",
                       "value %u of key 0x%x: cell 0x%x has no \"vk\" signature", i, nk->off, off);
            continue;
        }
        if (vk_decode(&ck->scratch, off, b, &vk) != HK_ERROR_SUCCESS) {
            chk_report(ck, HK_CHECK_ERROR, off, "vk-record", "value 0x%x: %s", off,
                       decoder_rule(ck));
            continue;
        }
        uint32_t name_bytes = 2 * name_units(vk.name);
        uint32_t len = vk.size_raw & ~VK_DATA_INLINE;
        max_name = name_bytes > max_name ? name_bytes : max_name;
        max_data = len > max_data ? len : max_data;
        check_value_data(ck, &vk);
    }
    if (max_name > nk->max_value_name)
        chk_report(ck, HK_CHECK_ERROR, nk->off, "max-value-name",
                   "key 0x%x records %u bytes as its longest value name, a value name has %u",
                   nk->off, nk->max_value_name, max_name);
    if (max_data > nk->max_value_data)
        chk_report(ck, HK_CHECK_ERROR, nk->off, "max-value-data",
                   "key 0x%x records %u bytes as its largest value data, a value has %u", nk->off,
                   nk->max_value_data, max_data);
}

/* ---- subkeys --------------------------------------------------------------- */

struct walk {
    const struct nk *parent;
    uint32_t depth;
    uint32_t seen;             /* entries so far over all leaves */
    bool have_prev;
    struct name_ref prev;
    uint32_t max_name, max_class;
    bool lists_ok;             /* every leaf was readable: the sum is meaningful */
};

static void visit_key(struct checker *ck, const struct nk *nk, uint32_t depth);

static void check_hint(struct checker *ck, uint32_t leaf, char kind, const uint8_t *entry,
                       const struct nk *child)
{
    uint32_t stored = le32_unchecked(entry + 4);
    if (kind == 'h') {
        uint32_t want = name_lh_hash(child->name);
        if (stored != want)
            chk_report(ck, HK_CHECK_ERROR, leaf, "list-hash",
                       "lh list 0x%x: hash 0x%08x of key 0x%x, its name hashes to 0x%08x", leaf,
                       stored, child->off, want);
        return;
    }
    uint8_t want[4] = {0};
    for (uint32_t i = 0; i < 4 && i < name_units(child->name); i++) {
        uint16_t u = name_unit(child->name, i);
        if (u > 0xFF)
            return; /* Windows and others disagree on such hints */
        want[i] = (uint8_t)u;
    }
    if (memcmp(entry + 4, want, 4) != 0)
        chk_report(ck, HK_CHECK_ERROR, leaf, "list-hint",
                   "lf list 0x%x: hint %02x%02x%02x%02x of key 0x%x does not match its name", leaf,
                   entry[4], entry[5], entry[6], entry[7], child->off);
}

static void check_entry(struct checker *ck, struct walk *w, uint32_t leaf, char kind,
                        const uint8_t *entry)
{
    uint32_t off = le32_unchecked(entry);
    uint32_t index = w->seen++;
    struct span b;
    struct nk child;
    if (!chk_ref(ck, off, false, &b, "key in subkey list", leaf))
        return;
    if (!cell_has_sig(b, NK_SIG)) {
        chk_report(ck, HK_CHECK_ERROR, off, "signature",
                   "entry %u of subkey list 0x%x: cell 0x%x has no \"nk\" signature", index, leaf,
                   off);
        return;
    }
    if (nk_decode(&ck->scratch, off, b, &child) != HK_ERROR_SUCCESS) {
        chk_report(ck, HK_CHECK_ERROR, off, "nk-record", "key node 0x%x: %s", off,
                   decoder_rule(ck));
        return;
    }
    if (kind != 'i')
        check_hint(ck, leaf, kind, entry, &child);
    if (w->have_prev) {
        int c = name_cmp(&w->prev, &child.name);
        if (c >= 0)
            chk_report(ck, HK_CHECK_ERROR, leaf, c == 0 ? "list-duplicate" : "list-order",
                       "subkey list of key 0x%x: entry %u (key 0x%x) %s the one before it",
                       w->parent->off, index, off, c == 0 ? "has the same name as" : "sorts before");
    }
    w->prev = child.name;
    w->have_prev = true;
    uint32_t name_bytes = 2 * name_units(child.name);
    w->max_name = name_bytes > w->max_name ? name_bytes : w->max_name;
    w->max_class = child.class_len > w->max_class ? child.class_len : w->max_class;
    if (child.parent != w->parent->off)
        chk_report(ck, HK_CHECK_ERROR, off, "key-parent",
                   "key 0x%x listed under key 0x%x names 0x%x as its parent", off, w->parent->off,
                   child.parent);
    visit_key(ck, &child, w->depth + 1);
}

/* A leaf (li/lf/lh) or, when allowed, an ri; returns false when unreadable. */
static bool check_list(struct checker *ck, struct walk *w, uint32_t off, bool allow_ri,
                       const char *what, uint32_t owner)
{
    struct span b;
    if (!chk_ref(ck, off, false, &b, what, owner))
        return false;
    if (b.len < LIST_ENTRIES) {
        chk_report(ck, HK_CHECK_ERROR, off, "list-size",
                   "subkey list 0x%x of %zu bytes has no room for its header", off, b.len);
        return false;
    }
    char kind = 0;
    if (b.ptr[0] == 'l' && (b.ptr[1] == 'i' || b.ptr[1] == 'f' || b.ptr[1] == 'h'))
        kind = (char)b.ptr[1];
    else if (b.ptr[0] == 'r' && b.ptr[1] == 'i')
        kind = 'r';
    if (!kind || (kind == 'r' && !allow_ri)) {
        chk_report(ck, HK_CHECK_ERROR, off, "list-signature",
                   kind ? "index root 0x%x found inside an index root"
                        : "cell 0x%x is no subkey list (li, lf, lh or ri)",
                   off);
        return false;
    }
    uint32_t count = le16_unchecked(b.ptr + LIST_COUNT);
    size_t stride = kind == 'f' || kind == 'h' ? 8 : 4;
    if ((size_t)count * stride > b.len - LIST_ENTRIES) {
        chk_report(ck, HK_CHECK_ERROR, off, "list-size",
                   "subkey list 0x%x claims %u entries, more than its %zu-byte cell holds", off,
                   count, b.len);
        return false;
    }
    bool ok = true;
    for (uint32_t i = 0; i < count && !ck->stopped; i++) {
        const uint8_t *e = b.ptr + LIST_ENTRIES + stride * i;
        if (kind == 'r')
            ok = check_list(ck, w, le32_unchecked(e), false, "leaf of index root", off) && ok;
        else
            check_entry(ck, w, off, kind, e);
    }
    return ok;
}

static void check_subkeys(struct checker *ck, const struct nk *nk, uint32_t depth)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    w.parent = nk;
    w.depth = depth;
    if (nk->subkey_count) {
        bool ok = check_list(ck, &w, nk->subkeys, true, "subkey list of key", nk->off);
        if (ok && w.seen != nk->subkey_count)
            chk_report(ck, HK_CHECK_ERROR, nk->off, "subkey-count",
                       "key 0x%x counts %u subkeys, its list 0x%x holds %u", nk->off,
                       nk->subkey_count, nk->subkeys, w.seen);
    }
    if (w.max_name > nk->max_name)
        chk_report(ck, HK_CHECK_ERROR, nk->off, "max-subkey-name",
                   "key 0x%x records %u bytes as its longest subkey name, a subkey has %u", nk->off,
                   nk->max_name, w.max_name);
    if (w.max_class > nk->max_class)
        chk_report(ck, HK_CHECK_ERROR, nk->off, "max-subkey-class",
                   "key 0x%x records %u bytes as its longest subkey class, a subkey has %u",
                   nk->off, nk->max_class, w.max_class);
}

/* ---- keys ------------------------------------------------------------------ */

static void check_security_ref(struct checker *ck, const struct nk *nk)
{
    struct span b;
    if (nk->sk == CELL_NIL) {
        chk_report(ck, HK_CHECK_ERROR, nk->off, "sk-missing", "key 0x%x has no security cell",
                   nk->off);
        return;
    }
    if (!chk_ref(ck, nk->sk, true, &b, "security cell of key", nk->off))
        return;
    if (!cell_has_sig(b, SK_SIG) || b.len < SK_DESCRIPTOR ||
        le32_unchecked(b.ptr + SK_SIZE) > b.len - SK_DESCRIPTOR)
        chk_report(ck, HK_CHECK_ERROR, nk->sk, "sk-record",
                   "security cell 0x%x of key 0x%x is no \"sk\" record holding its descriptor",
                   nk->sk, nk->off);
}

static void visit_key(struct checker *ck, const struct nk *nk, uint32_t depth)
{
    if (ck->stopped)
        return;
    if (depth >= HK_MAX_DEPTH) {
        chk_report(ck, HK_CHECK_ERROR, nk->off, "depth",
                   "key 0x%x lies deeper than %u levels", nk->off, HK_MAX_DEPTH);
        return;
    }
    uint32_t units = name_units(nk->name);
    if (units == 0 || units > HK_MAX_KEY_NAME)
        chk_report(ck, HK_CHECK_ERROR, nk->off, "name-length",
                   "key 0x%x has a name of %u UTF-16 units (1 to 255 allowed)", nk->off, units);
    struct span cls;
    if (nk->class_len && nk->class_off != CELL_NIL &&
        chk_ref(ck, nk->class_off, false, &cls, "class name of key", nk->off) &&
        nk->class_len > cls.len)
        chk_report(ck, HK_CHECK_ERROR, nk->class_off, "class",
                   "class name of key 0x%x: %u bytes do not fit the %zu-byte cell 0x%x", nk->off,
                   nk->class_len, cls.len, nk->class_off);
    check_security_ref(ck, nk);
    check_values(ck, nk);
    check_subkeys(ck, nk, depth);
}

void chk_tree(struct checker *ck)
{
    struct span b;
    struct nk root;
    uint32_t off = ck->img->bb.root;
    if (!chk_ref(ck, off, false, &b, "root key", off))
        return;
    if (!cell_has_sig(b, NK_SIG) || nk_decode(&ck->scratch, off, b, &root) != HK_ERROR_SUCCESS) {
        chk_report(ck, HK_CHECK_ERROR, off, "nk-record", "root key 0x%x is no readable key node",
                   off);
        return;
    }
    visit_key(ck, &root, 0);
}
