/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growable buffers and the buffered output. */
#define _GNU_SOURCE /* MAP_POPULATE (Linux) */
#include "buffers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"


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

/* The file is read through whole, once or twice: its pages mapped in one
 * call rather than one fault per 64 KiB (Linux; elsewhere faulted in). */
#ifdef MAP_POPULATE
#define MAP_READ_AHEAD MAP_POPULATE
#else
#define MAP_READ_AHEAD 0
#endif

int cli_map_file(const char *path, struct cli_buf *out, bool *mapped)
{
    *mapped = false;
    int fd = strcmp(path, "-") == 0 ? -1 : open(path, O_RDONLY);
    struct stat sb;
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uintmax_t)sb.st_size <= SIZE_MAX) {
        void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_READ_AHEAD, fd, 0);
        if (p != MAP_FAILED) {
            close(fd);
            out->p = p;
            out->len = out->cap = (size_t)sb.st_size;
            *mapped = true;
            return CLI_EXIT_OK;
        }
    }
    if (fd >= 0)
        close(fd);
    return cli_read_file(path, out);
}

void cli_file_release(struct cli_buf *b, bool mapped)
{
    if (!mapped) {
        cli_buf_free(b);
        return;
    }
    munmap(b->p, b->cap);
    b->p = NULL;
    b->len = b->cap = 0;
}
