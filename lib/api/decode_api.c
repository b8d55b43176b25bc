/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* winreg's conversion rules from stored bytes to strings and numbers (api layer). */
#include <string.h>

#include "api/handle.h"
#include "base/utf16.h"

/* Units before the first NUL unit among the first n. */
static size_t units_to_nul(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[2 * i] | p[2 * i + 1]))
        i++;
    return i;
}

HK_API hk_status hk_decode_string(const void *data, size_t size, char *out, size_t *out_size)
{
    api_enter();
    if (!out_size || (!data && size))
        return HK_ERROR_INVALID_PARAMETER;
    const uint8_t *p = data;
    size_t units = size ? units_to_nul(p, size / 2) : 0;
    hk_status st = put_utf16(p, units, out, out_size);
    if (st == HK_ERROR_SUCCESS && out)
        (*out_size)++; /* a string's size counts its NUL, as RegQueryValue's does */
    return st;
}

HK_API hk_status hk_decode_multi_sz(const void *data, size_t size, char *out, size_t *out_size,
                                    size_t *count)
{
    api_enter();
    if (!out_size || (!data && size))
        return HK_ERROR_INVALID_PARAMETER;
    const uint8_t *p = data;
    size_t n = size / 2;
    if (n > 0 && !(p[2 * (n - 1)] | p[2 * (n - 1) + 1]))
        n--; /* the final NUL ends the list, it does not make an item */
    size_t need = 0, items = 0;
    for (size_t start = 0; start < n; items++) {
        size_t len = units_to_nul(p + 2 * start, n - start);
        need += utf16le_utf8_len(p + 2 * start, len) + 1;
        start += len + 1;
    }
    if (!out) {
        *out_size = need;
        if (count)
            *count = items;
        return HK_ERROR_SUCCESS;
    }
    if (*out_size < need) {
        *out_size = need;
        return HK_ERROR_MORE_DATA;
    }
    size_t w = 0;
    for (size_t start = 0, done = 0; done < items; done++) {
        size_t len = units_to_nul(p + 2 * start, n - start);
        w += utf16le_to_utf8(p + 2 * start, len, out + w);
        out[w++] = '\0';
        start += len + 1;
    }
    *out_size = w;
    if (count)
        *count = items;
    return HK_ERROR_SUCCESS;
}

HK_API uint32_t hk_decode_dword(const void *data, size_t size)
{
    uint8_t b[4] = {0};
    if (data)
        memcpy(b, data, size < 4 ? size : 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

HK_API uint64_t hk_decode_qword(const void *data, size_t size)
{
    uint8_t b[8] = {0};
    if (data)
        memcpy(b, data, size < 8 ? size : 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}
