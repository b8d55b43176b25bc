/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Carving hives out of raw disk and memory images (api layer). */
#include "api/abi.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "forensic/forensic.h"

#define CARVE_KNOWN_FLAGS (HK_CARVE_MEMORY | HK_CARVE_DATA | HK_CARVE_REASSEMBLE)

/* The caller's options as this library knows them (NULL: the defaults). */
static bool take_options(const hk_carve_options *caller, hk_carve_fn fn, hk_carve_options *o)
{
    return fn && abi_in(o, sizeof *o, caller, CARVE_OPTIONS_V1) == HK_ERROR_SUCCESS &&
           (o->flags & ~(uint32_t)CARVE_KNOWN_FLAGS) == 0;
}

HK_API hk_status hk_carve_file(const char *path, const hk_carve_options *caller_opts,
                               hk_carve_fn fn, void *ctx)
{
    diag_detail_clear();
    hk_carve_options opts_buf, *opts = &opts_buf;
    if (!path || !take_options(caller_opts, fn, opts))
        return HK_ERROR_INVALID_PARAMETER;
    struct file_reader r;
    hk_status st = file_reader_open(path, &r, DIAG_DETAIL);
    if (st == HK_ERROR_SUCCESS) {
        st = carve_image(NULL, &r, r.size, opts, fn, ctx, DIAG_DETAIL);
        file_reader_close(&r);
    }
    return st;
}

HK_API hk_status hk_carve_memory(const void *data, size_t size,
                                 const hk_carve_options *caller_opts, hk_carve_fn fn, void *ctx)
{
    diag_detail_clear();
    hk_carve_options opts_buf, *opts = &opts_buf;
    if ((!data && size) || !take_options(caller_opts, fn, opts))
        return HK_ERROR_INVALID_PARAMETER;
    static const uint8_t empty[1] = {0};
    return carve_image(size ? data : empty, NULL, size, opts, fn, ctx, DIAG_DETAIL);
}
