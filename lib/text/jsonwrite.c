/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The nested JSON export's pieces (text layer). */
#include "text/jsonwrite.h"

#include "base/utf16.h"
#include "text/textesc.h"

static const char *const type_names[] = {
    "REG_NONE", "REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN",
    "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST", "REG_FULL_RESOURCE_DESCRIPTOR",
    "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
};

const char *reg_type_name(uint32_t type)
{
    return type < sizeof type_names / sizeof type_names[0] ? type_names[type] : NULL;
}

void json_string(struct textbuf *b, const char *s, size_t n, int *lossy)
{
    textbuf_addc(b, '"');
    if (n && textbuf_reserve(b, 6 * n + 1))
        b->len += json_escape(s, n, (char *)b->p + b->len, lossy);
    else if (lossy)
        *lossy = 0;
    textbuf_addc(b, '"');
}

void json_field(struct textbuf *b, const char *field, const char *s, size_t n)
{
    int lossy = 0;
    textbuf_addc(b, '"');
    textbuf_adds(b, field);
    textbuf_add(b, "\":", 2);
    json_string(b, s, n, &lossy);
    if (!lossy)
        return;
    textbuf_add(b, ",\"", 2);
    textbuf_adds(b, field);
    textbuf_adds(b, "_utf16_hex\":\"");
    if (textbuf_reserve(b, 4 * n + 1))
        b->len += utf16_hex(s, n, (char *)b->p + b->len);
    textbuf_addc(b, '"');
}

void jsonw_begin(struct textbuf *b)
{
    textbuf_adds(b, "{\"hivekit_json\":1,\"root\":");
}

void jsonw_end(struct textbuf *b)
{
    textbuf_adds(b, "}\n");
}

size_t filetime_text(uint64_t ft, char *out)
{
    /* civil-from-days, proleptic Gregorian, 1601 epoch */
    uint64_t secs = ft / 10000000u;
    unsigned frac = (unsigned)(ft % 10000000u);
    int64_t days = (int64_t)(secs / 86400u) - 134774; /* days 1601-01-01 .. 1970-01-01 */
    unsigned sod = (unsigned)(secs % 86400u);
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    uint64_t f[7] = {(uint64_t)y, (uint64_t)m, (uint64_t)d, sod / 3600u, sod / 60u % 60u,
                     sod % 60u, frac};
    static const char sep[] = "--T::.Z";
    static const unsigned width[] = {4, 2, 2, 2, 2, 2, 7};
    size_t n = 0;
    for (int i = 0; i < 7; i++) {
        uint64_t v = f[i];
        for (unsigned k = width[i]; k-- > 0;) {
            out[n + k] = (char)('0' + v % 10);
            v /= 10;
        }
        n += width[i];
        out[n++] = sep[i];
    }
    out[n] = '\0';
    return n;
}

void json_iso(struct textbuf *b, uint64_t ft)
{
    char iso[FILETIME_TEXT_SIZE];
    textbuf_addc(b, '"');
    textbuf_add(b, iso, filetime_text(ft, iso));
    textbuf_addc(b, '"');
}

void jsonw_key_open(struct textbuf *b, bool first, const char *name, size_t name_len,
                    uint64_t last_write, const char *cls, size_t cls_len)
{
    textbuf_adds(b, first ? "\n{\"type\":\"key\"," : ",\n{\"type\":\"key\",");
    json_field(b, "name", name, name_len);
    textbuf_adds(b, ",\"last_write\":");
    textbuf_u64(b, last_write);
    textbuf_adds(b, ",\"last_write_utc\":");
    json_iso(b, last_write);
    if (cls_len) {
        textbuf_adds(b, ",\"class\":");
        json_string(b, cls, cls_len, NULL);
    }
    textbuf_adds(b, ",\"values\":[");
}

/* UTF-16LE units as a JSON string. */
static void units_string(struct textbuf *b, const uint8_t *d, size_t units)
{
    struct textbuf tmp = {0};
    if (textbuf_reserve(&tmp, utf16le_utf8_len(d, units) + 1)) {
        tmp.len = utf16le_to_utf8(d, units, (char *)tmp.p);
        json_string(b, (const char *)tmp.p, tmp.len, NULL);
    }
    if (tmp.oom)
        b->oom = true;
    textbuf_free(&tmp);
}

static size_t nul_unit(const uint8_t *d, size_t from, size_t units)
{
    size_t i = from;
    while (i < units && (d[2 * i] | d[2 * i + 1]))
        i++;
    return i;
}

static void put_decoded(struct textbuf *b, uint32_t type, const uint8_t *d, size_t size)
{
    size_t units = size / 2;
    switch (type) {
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ:
    case HK_REG_LINK:
        textbuf_adds(b, ",\"data\":");
        units_string(b, d, nul_unit(d, 0, units));
        return;
    case HK_REG_MULTI_SZ:
        if (units && !(d[2 * units - 2] | d[2 * units - 1]))
            units--;
        textbuf_adds(b, ",\"data\":[");
        for (size_t i = 0; i < units;) {
            size_t end = nul_unit(d, i, units);
            if (i)
                textbuf_addc(b, ',');
            units_string(b, d + 2 * i, end - i);
            i = end + 1;
        }
        textbuf_addc(b, ']');
        return;
    case HK_REG_DWORD:
    case HK_REG_DWORD_BIG_ENDIAN:
        if (size == 4) {
            textbuf_adds(b, ",\"data\":");
            textbuf_u64(b, type == HK_REG_DWORD
                               ? (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
                                     (uint32_t)d[3] << 24
                               : (uint32_t)d[3] | (uint32_t)d[2] << 8 | (uint32_t)d[1] << 16 |
                                     (uint32_t)d[0] << 24);
        }
        return;
    case HK_REG_QWORD:
        if (size == 8) {
            uint64_t v = 0;
            for (int i = 7; i >= 0; i--)
                v = v << 8 | d[i];
            textbuf_adds(b, ",\"data\":");
            textbuf_u64(b, v);
        }
        return;
    default:
        return;
    }
}

void jsonw_value(struct textbuf *b, bool first, const char *name, size_t name_len, uint32_t type,
                 const uint8_t *data, size_t size)
{
    textbuf_adds(b, first ? "\n {\"type\":\"value\"," : ",\n {\"type\":\"value\",");
    json_field(b, "name", name, name_len);
    textbuf_adds(b, ",\"reg_type\":");
    textbuf_u64(b, type);
    const char *tn = reg_type_name(type);
    if (tn) {
        textbuf_adds(b, ",\"type_name\":\"");
        textbuf_adds(b, tn);
        textbuf_addc(b, '"');
    }
    textbuf_adds(b, ",\"size\":");
    textbuf_u64(b, size);
    textbuf_adds(b, ",\"data_hex\":\"");
    textbuf_hex_bytes(b, data, size);
    textbuf_addc(b, '"');
    put_decoded(b, type, data, size);
    textbuf_addc(b, '}');
}

void jsonw_key_middle(struct textbuf *b)
{
    textbuf_adds(b, "],\"subkeys\":[");
}

void jsonw_key_close(struct textbuf *b)
{
    textbuf_adds(b, "]}");
}
