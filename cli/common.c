/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared CLI plumbing: diagnostics, exit codes, hive opening, key paths,
 * buffers and text encodings. */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- exit status and diagnostics ------------------------------------- */

CLI_PRINTF(2, 0) static void vreport(const char *what, const char *fmt, va_list ap)
{
    fputs("hivekit: ", stderr);
    if (what)
        fprintf(stderr, "%s: ", what);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(what, fmt, ap);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "hivekit: %s: %s (see 'hivekit help %s')\n", cmd, msg, cmd);
    return CLI_EXIT_ERROR;
}

int cli_salvage_hint;

int cli_fail(const hk_hive *hive, const char *what, hk_status st)
{
    /* The library records a detail only for structural faults, and never
     * clears it: other statuses are reported by their text alone. */
    const char *detail = hive ? hk_hive_errmsg(hive) : "";
    if (st == HK_ERROR_BADDB && detail[0])
        cli_error(what, "%s (%s%s)", detail, hk_strerror(st), cli_salvage_hint ? "; try --salvage" : "");
    else
        cli_error(what, "%s", hk_strerror(st));
    return CLI_EXIT_ERROR;
}

int cli_fail_edit(const hk_hive *hive, const char *what, hk_status st)
{
    const char *detail = hive ? hk_hive_errmsg(hive) : "";
    if (detail[0])
        cli_error(what, "%s (%s)", detail, hk_strerror(st));
    else
        cli_error(what, "%s", hk_strerror(st));
    return CLI_EXIT_ERROR;
}

int cli_not_found(void)
{
    fputs("hivekit: " CLI_NOT_FOUND_TEXT "\n", stderr);
    return CLI_EXIT_NOT_FOUND;
}

int cli_not_found_detail(const char *fmt, ...)
{
    fputs("hivekit: " CLI_NOT_FOUND_TEXT "\n", stderr);
    va_list ap;
    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
    return CLI_EXIT_NOT_FOUND;
}

size_t cli_hive_key_len(const char *path, const char **root)
{
    size_t n = hk_reg_root(path, root);
    if (n && (strcmp(*root, "HKEY_LOCAL_MACHINE") == 0 || strcmp(*root, "HKEY_USERS") == 0) &&
        path[n] == '\\') {
        n++;
        while (path[n] && path[n] != '\\')
            n++;
    }
    return n;
}

int cli_key_not_found(const char *key_arg)
{
    const char *root;
    size_t n = cli_hive_key_len(key_arg, &root);
    cli_not_found_detail("key '%s' not found below the hive's root key", key_arg);
    if (n)
        cli_error(NULL, "hint: KEY is relative to the hive's root key: leave out '%.*s' (%s%s)",
                  (int)n, key_arg, root,
                  strcmp(root, "HKEY_LOCAL_MACHINE") == 0 || strcmp(root, "HKEY_USERS") == 0
                      ? " and the key the hive is loaded at"
                      : " is the hive's root");
    return CLI_EXIT_NOT_FOUND;
}

hk_status cli_open_hive(const char *path, hk_hive **out)
{
    return cli_open_hive_flags(path, HK_OPEN_READONLY, out);
}

/* hk_hive_open with the log options; a failure reported as
 * "hivekit: PATH: REASON". */
static hk_status open_reported(const char *path, uint32_t flags, hk_hive **out)
{
    char msg[512] = "";
    hk_open_options opts = HK_OPEN_OPTIONS_INIT;
    opts.flags = flags;
    opts.errmsg = msg;
    opts.errmsg_size = sizeof msg;
    cli_log_options(&opts);
    hk_status st = hk_hive_open(path, &opts, out);
    if (st != HK_ERROR_SUCCESS) {
        if (strstr(msg, "transaction log"))
            cli_error(path, "%s (--no-logs reads the primary as it is)", msg);
        else if (st == HK_ERROR_BADDB && cli_salvage_hint && !(flags & HK_OPEN_SALVAGE))
            cli_error(path, "%s (try --salvage)", msg[0] ? msg : hk_strerror(st));
        else
            cli_error(path, "%s", msg[0] ? msg : hk_strerror(st));
    }
    return st;
}

hk_status cli_open_hive_flags(const char *path, uint32_t flags, hk_hive **out)
{
    hk_status st = open_reported(path, flags, out);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if (hk_hive_salvage_note(*out)[0])
        cli_error(NULL, "warning: %s: %s", path, hk_hive_salvage_note(*out));
    hk_hive_info info = HK_HIVE_INFO_INIT;
    st = hk_hive_info_get(*out, &info);
    if (st != HK_ERROR_SUCCESS) {
        cli_fail(*out, path, st);
        hk_hive_close(*out);
        *out = NULL;
        return st;
    }
    if (info.gzip_unread)
        cli_error(NULL, "warning: %s: gzip data past the hive's declared size left unread (%llu "
                  "compressed bytes)", path, (unsigned long long)info.gzip_unread);
    cli_log_report(path, *out, &info);
    return HK_ERROR_SUCCESS;
}

/* ---- salvage and progress ---------------------------------------------- */

int cli_salvage_skip(struct cli_salvage *sv, hk_hive *hive, const char *key_path, size_t path_len,
                     uint32_t index, hk_status st)
{
    const char *detail = hk_hive_errmsg(hive);
    if (st != HK_ERROR_BADDB || !detail[0])
        detail = hk_strerror(st);
    if (strcmp(detail, sv->last) == 0)
        return 0;
    snprintf(sv->last, sizeof sv->last, "%s", detail);
    cli_error(NULL, "warning: %s: skipped subkey %u of \"%.*s\": %s", sv->hive_path, index,
              (int)path_len, key_path, detail);
    return 1;
}

enum { PROGRESS_EVERY = 10000 };

void cli_progress_init(struct cli_progress *p)
{
    p->keys = 0;
    p->tty = isatty(STDERR_FILENO);
}

void cli_progress_key(struct cli_progress *p)
{
    if (++p->keys % PROGRESS_EVERY == 0 && p->tty)
        fprintf(stderr, "\rhivekit: %llu keys read", (unsigned long long)p->keys);
}

void cli_progress_done(struct cli_progress *p)
{
    if (p->tty && p->keys >= PROGRESS_EVERY)
        fprintf(stderr, "\rhivekit: %llu keys read\n", (unsigned long long)p->keys);
}

/* ---- editing ------------------------------------------------------------ */

hk_status cli_open_hive_write(const char *path, hk_hive **out)
{
    /* the editing commands take no --salvage: cli_salvage_hint stays 0 */
    hk_status st = open_reported(path, HK_OPEN_WRITE, out);
    if (st != HK_ERROR_SUCCESS)
        return st;
    hk_hive_info info = HK_HIVE_INFO_INIT;
    st = hk_hive_info_get(*out, &info);
    if (st == HK_ERROR_SUCCESS && !info.dirty)
        cli_log_report(path, *out, &info);
    char why[96];
    if (st == HK_ERROR_SUCCESS && info.dirty_at_open && !info.dirty && !info.logs_replayed) {
        cli_dirty_reason(&info, why, sizeof why);
        cli_error(NULL, "warning: accepted the dirty primary as it is (%s; no transaction log): it "
                  "is written clean", why);
    }
    if (st == HK_ERROR_SUCCESS && info.dirty) {
        cli_error(path, "hive is dirty (sequence %u, %u): replay its transaction logs first; "
                  "nothing written (no log was found: --accept-dirty takes the primary as it is)",
                  info.primary_sequence, info.secondary_sequence);
        st = HK_ERROR_REGISTRY_IO_FAILED;
    }
    if (st != HK_ERROR_SUCCESS) {
        hk_hive_close(*out);
        *out = NULL;
    }
    return st;
}

int cli_save_hive(hk_hive *hive, const char *path)
{
    hk_status st = hk_hive_save(hive, NULL, HK_SAVE_OVERWRITE | cli_save_flags());
    if (st == HK_ERROR_NOT_SUPPORTED && strstr(hk_hive_errmsg(hive), "hard links")) {
        /* the library names its flag; the command line has an option */
        const char *msg = hk_hive_errmsg(hive), *cut = strchr(msg, ';');
        cli_error(path, "%.*s; nothing written (--break-hardlinks replaces this name only)",
                  (int)(cut ? cut - msg : (ptrdiff_t)strlen(msg)), msg);
        return CLI_EXIT_ERROR;
    }
    if (st != HK_ERROR_SUCCESS)
        return cli_fail_edit(hive, path, st);
    if (hk_hive_save_note(hive)[0])
        cli_error(NULL, "warning: %s: %s", path, hk_hive_save_note(hive));
    return CLI_EXIT_OK;
}

const char *cli_key_arg(const char *key)
{
    return key && *key == '\\' ? key + 1 : key ? key : "";
}

/* ---- buffers ---------------------------------------------------------- */

void cli_buf_grow(struct cli_buf *b, size_t n)
{
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            cap = SIZE_MAX;
            break;
        }
        cap *= 2;
    }
    char *p = cap - b->len >= n ? realloc(b->p, cap) : NULL;
    if (!p) {
        cli_error(NULL, "out of memory (%zu bytes)", n);
        exit(CLI_EXIT_ERROR);
    }
    b->p = p;
    b->cap = cap;
}

void cli_buf_free(struct cli_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

void cli_buf_u64(struct cli_buf *b, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    cli_buf_add(b, tmp + sizeof tmp - n, n);
}

void cli_out_init(struct cli_out *o, FILE *fp)
{
    memset(o, 0, sizeof *o);
    o->fp = fp;
    cli_buf_reserve(&o->buf, CLI_OUT_CHUNK + CLI_OUT_CHUNK / 4);
}

int cli_out_flush(struct cli_out *o)
{
    if (o->buf.len && !o->err && fwrite(o->buf.p, 1, o->buf.len, o->fp) != o->buf.len)
        o->err = errno ? errno : EIO;
    o->buf.len = 0;
    return o->err;
}

int cli_out_close(struct cli_out *o)
{
    cli_out_flush(o);
    cli_buf_free(&o->buf);
    if (fflush(o->fp) != 0 && !o->err)
        o->err = errno ? errno : EIO;
    return o->err;
}

/* ---- hive access ------------------------------------------------------- */

hk_status cli_key_name(hk_key *key, struct cli_buf *name)
{
    for (;;) {
        cli_buf_reserve(name, 64);
        size_t size = name->cap;
        hk_status st = hk_key_name(key, name->p, &size);
        if (st == HK_ERROR_SUCCESS) {
            name->len = size;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        name->len = 0;
        cli_buf_reserve(name, size);
    }
}

hk_status cli_enum_value(hk_key *key, uint32_t index, struct cli_buf *name, uint32_t *type,
                         struct cli_buf *data)
{
    name->len = data->len = 0;
    cli_buf_reserve(name, 256);
    cli_buf_reserve(data, 4096);
    for (;;) {
        size_t nsize = name->cap, dsize = data->cap;
        hk_status st = hk_enum_value(key, index, name->p, &nsize, type, data->p, &dsize);
        if (st == HK_ERROR_SUCCESS) {
            name->len = nsize;
            data->len = dsize;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(name, nsize);
        cli_buf_reserve(data, dsize);
    }
}

hk_status cli_key_info(hk_key *key, struct cli_buf *class_name, hk_key_info *info)
{
    class_name->len = 0;
    cli_buf_reserve(class_name, 64);
    for (;;) {
        size_t size = class_name->cap;
        hk_status st = hk_query_info_key(key, class_name->p, &size, info);
        if (st == HK_ERROR_SUCCESS) {
            class_name->len = size;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(class_name, size);
    }
}

hk_status cli_decode_string(const void *data, size_t size, struct cli_buf *out)
{
    /* Each UTF-16 unit makes at most 3 bytes of UTF-8. */
    out->len = 0;
    cli_buf_reserve(out, size / 2 * 3 + 1);
    for (;;) {
        size_t n = out->cap;
        hk_status st = hk_decode_string(data, size, out->p, &n);
        if (st == HK_ERROR_SUCCESS) {
            /* The string is cut at its first NUL, and the size counts the
             * terminator (as hk_query_value's does). */
            out->len = strnlen(out->p, n);
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(out, n);
    }
}

hk_status cli_decode_multi_sz(const void *data, size_t size, struct cli_buf *out, size_t *count)
{
    out->len = 0;
    cli_buf_reserve(out, size / 2 * 3 + 1);
    for (;;) {
        size_t n = out->cap;
        hk_status st = hk_decode_multi_sz(data, size, out->p, &n, count);
        if (st == HK_ERROR_SUCCESS) {
            out->len = n;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(out, n);
    }
}

int cli_open_path(hk_hive *hive, const char *key_arg, hk_key **out, struct cli_buf *path)
{
    path->len = 0;
    hk_key *cur;
    hk_status st = hk_hive_root(hive, &cur);
    if (st != HK_ERROR_SUCCESS)
        return cli_fail(hive, "root key", st);
    const char *s = key_arg ? key_arg : "";
    if (*s == '\\')
        s++;
    size_t len = strlen(s);
    if (len && s[len - 1] == '\\')
        len--; /* one trailing backslash, as hk_open_key allows */
    struct cli_buf comp = {0}, name = {0};
    int rc = CLI_EXIT_OK;
    size_t pos = 0;
    while (len && pos <= len) {
        const char *sep = memchr(s + pos, '\\', len - pos);
        size_t end = sep ? (size_t)(sep - s) : len;
        if (end == pos) {
            cli_error(key_arg, "%s (empty path component)", hk_strerror(HK_ERROR_BAD_PATHNAME));
            rc = CLI_EXIT_ERROR;
            break;
        }
        comp.len = 0;
        cli_buf_add(&comp, s + pos, end - pos);
        cli_buf_addc(&comp, '\0');
        hk_key *next;
        st = hk_open_key(cur, comp.p, 0, HK_KEY_READ, &next);
        if (st == HK_ERROR_SUCCESS)
            st = cli_key_name(next, &name);
        else
            next = NULL;
        hk_close_key(cur);
        cur = next;
        if (st == HK_ERROR_FILE_NOT_FOUND) {
            rc = cli_key_not_found(key_arg);
            break;
        }
        if (st != HK_ERROR_SUCCESS) {
            rc = cli_fail(hive, key_arg, st);
            break;
        }
        if (path->len)
            cli_buf_addc(path, '\\');
        cli_buf_add(path, name.p, name.len);
        pos = end + 1;
    }
    cli_buf_free(&comp);
    cli_buf_free(&name);
    if (rc != CLI_EXIT_OK) {
        hk_close_key(cur);
        return rc;
    }
    *out = cur;
    return CLI_EXIT_OK;
}

/* ---- encodings -------------------------------------------------------- */

static char hex_pairs[2][512];
static int hex_ready;

static void hex_init(void)
{
    static const char digits[2][17] = {"0123456789abcdef", "0123456789ABCDEF"};
    for (int c = 0; c < 2; c++)
        for (unsigned v = 0; v < 256; v++) {
            hex_pairs[c][2 * v] = digits[c][v >> 4];
            hex_pairs[c][2 * v + 1] = digits[c][v & 15];
        }
    hex_ready = 1;
}

static char *hex_encode(int upper, char *dst, const uint8_t *src, size_t n)
{
    if (!hex_ready)
        hex_init();
    const char *t = hex_pairs[upper];
    for (size_t i = 0; i < n; i++)
        memcpy(dst + 2 * i, t + 2 * (size_t)src[i], 2);
    return dst + 2 * n;
}

char *cli_hex_lower(char *dst, const uint8_t *src, size_t n)
{
    return hex_encode(0, dst, src, n);
}

char *cli_hex_upper(char *dst, const uint8_t *src, size_t n)
{
    return hex_encode(1, dst, src, n);
}

/* The length of the well-formed UTF-8 sequence at p (lone surrogates
 * ED A0..BF xx included: WTF-8), its code point in *cp; 0 if ill-formed. */
static size_t utf8_seq(const uint8_t *p, size_t avail, uint32_t *cp)
{
    uint8_t b = p[0], lo = 0x80, hi = 0xBF;
    size_t more;
    uint32_t v;
    if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
        v = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        more = 2;
        v = b & 0x0Fu;
        if (b == 0xE0)
            lo = 0xA0;
    } else if (b >= 0xF0 && b <= 0xF4) {
        more = 3;
        v = b & 0x07u;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (avail <= more)
        return 0;
    for (size_t k = 1; k <= more; k++) {
        if (p[k] < lo || p[k] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
        v = v << 6 | (p[k] & 0x3Fu);
    }
    *cp = v;
    return more + 1;
}

static const char hex_lc[] = "0123456789abcdef";

void cli_json_escape(struct cli_buf *b, const char *s, size_t n)
{
    if (n == 0)
        return; /* b->p may still be NULL: no pointer arithmetic on it */
    /* 6 output bytes per input byte at most ("\u0001", "\ufffd"). */
    cli_buf_reserve(b, 6 * n);
    char *w = b->p + b->len;
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end) {
        uint8_t c = *p;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *w++ = (char)c;
            p++;
        } else if (c == '"' || c == '\\') {
            *w++ = '\\';
            *w++ = (char)c;
            p++;
        } else if (c < 0x20) {
            memcpy(w, "\\u00", 4);
            w[4] = hex_lc[c >> 4];
            w[5] = hex_lc[c & 15];
            w += 6;
            p++;
        } else {
            uint32_t cp = 0;
            size_t len = utf8_seq(p, (size_t)(end - p), &cp);
            if (len == 0) {
                memcpy(w, "\\ufffd", 6);
                w += 6;
                p++;
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                /* strict parsers refuse a lone surrogate: U+FFFD, the exact
                 * units go to a *_utf16_hex field (cli_json_name) */
                memcpy(w, "\\ufffd", 6);
                w += 6;
                p += len;
            } else {
                memcpy(w, p, len);
                w += len;
                p += len;
            }
        }
    }
    b->len = (size_t)(w - b->p);
}

/* Whether s holds a lone surrogate or a byte that is not UTF-8: what JSON
 * shows as U+FFFD. */
static int json_lossy(const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end) {
        uint32_t cp = 0;
        size_t len = *p < 0x80 ? 1 : utf8_seq(p, (size_t)(end - p), &cp);
        if (len == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            return 1;
        p += len;
    }
    return 0;
}

/* s as UTF-16LE hex (a byte that is not UTF-8 as its own unit). */
static void utf16_hex(struct cli_buf *b, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end) {
        uint32_t cp = *p;
        size_t len = *p < 0x80 ? 1 : utf8_seq(p, (size_t)(end - p), &cp);
        if (len == 0) {
            cp = *p;
            len = 1;
        }
        uint32_t units[2] = {cp, 0};
        int nu = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int k = 0; k < nu; k++) {
            char h[4] = {hex_lc[(units[k] >> 4) & 15], hex_lc[units[k] & 15],
                         hex_lc[(units[k] >> 12) & 15], hex_lc[(units[k] >> 8) & 15]};
            cli_buf_add(b, h, 4);
        }
        p += len;
    }
}

void cli_json_name(struct cli_buf *b, const char *field, const char *s, size_t n)
{
    cli_buf_addc(b, '"');
    cli_buf_adds(b, field);
    cli_buf_add(b, "\":", 2);
    cli_json_string(b, s, n);
    if (json_lossy(s, n)) {
        cli_buf_add(b, ",\"", 2);
        cli_buf_adds(b, field);
        cli_buf_adds(b, "_utf16_hex\":\"");
        utf16_hex(b, s, n);
        cli_buf_addc(b, '"');
    }
}

void cli_json_string(struct cli_buf *b, const char *s, size_t n)
{
    cli_buf_addc(b, '"');
    cli_json_escape(b, s, n);
    cli_buf_addc(b, '"');
}

size_t cli_filetime_iso(uint64_t filetime, char out[CLI_ISO_SIZE])
{
    return hk_filetime_text(filetime, out);
}

const char *cli_type_name(uint32_t type, char scratch[CLI_TYPE_NAME_SIZE])
{
    const char *name = hk_type_name(type);
    if (name)
        return name;
    snprintf(scratch, CLI_TYPE_NAME_SIZE, "REG_0x%X", type);
    return scratch;
}

int cli_write_fp(const void *data, size_t size, void *ctx)
{
    return fwrite(data, 1, size, (FILE *)ctx) == size ? 0 : -1;
}

int cli_read_file(const char *path, struct cli_buf *out)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!fp) {
        cli_error(path, "cannot open: %s", strerror(errno));
        return CLI_EXIT_ERROR;
    }
    out->len = 0;
    for (;;) {
        cli_buf_reserve(out, 1 << 16);
        size_t got = fread(out->p + out->len, 1, out->cap - out->len, fp);
        out->len += got;
        if (got == 0)
            break;
    }
    int err = ferror(fp) ? errno : 0;
    if (fp != stdin)
        fclose(fp);
    if (err) {
        cli_error(path, "read error: %s", strerror(err));
        return CLI_EXIT_ERROR;
    }
    return CLI_EXIT_OK;
}

static void add_u64_hex(struct cli_buf *b, uint64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "0x%llx", (unsigned long long)v);
    cli_buf_add(b, tmp, (size_t)n);
}

static void add_hex_upper(struct cli_buf *b, const struct cli_buf *data)
{
    cli_buf_reserve(b, 2 * data->len);
    cli_hex_upper(b->p + b->len, (const uint8_t *)data->p, data->len);
    b->len += 2 * data->len;
}

hk_status cli_reg_data(struct cli_buf *b, struct cli_buf *text, uint32_t type, const char *data,
                       size_t size)
{
    const struct cli_buf dd = {(char *)(uintptr_t)data, size, size};
    const struct cli_buf *d = &dd;
    const uint8_t *u = (const uint8_t *)d->p;
    size_t count;
    hk_status st;
    switch (type) {
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ:
        st = cli_decode_string(d->p, d->len, text);
        if (st == HK_ERROR_SUCCESS)
            cli_buf_add(b, text->p, text->len);
        return st;
    case HK_REG_MULTI_SZ:
        st = cli_decode_multi_sz(d->p, d->len, text, &count);
        if (st != HK_ERROR_SUCCESS)
            return st;
        /* Items are NUL-terminated back to back: join them with "\0". */
        for (size_t i = 0, start = 0; i < count; i++) {
            size_t len = strlen(text->p + start);
            if (i > 0)
                cli_buf_add(b, "\\0", 2);
            cli_buf_add(b, text->p + start, len);
            start += len + 1;
        }
        return HK_ERROR_SUCCESS;
    case HK_REG_DWORD:
        add_u64_hex(b, hk_decode_dword(d->p, d->len));
        return HK_ERROR_SUCCESS;
    case HK_REG_QWORD:
        add_u64_hex(b, hk_decode_qword(d->p, d->len));
        return HK_ERROR_SUCCESS;
    case HK_REG_DWORD_BIG_ENDIAN:
        if (d->len == 4) {
            add_u64_hex(b, (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3]);
            return HK_ERROR_SUCCESS;
        }
        add_hex_upper(b, d);
        return HK_ERROR_SUCCESS;
    default:
        add_hex_upper(b, d);
        return HK_ERROR_SUCCESS;
    }
}

