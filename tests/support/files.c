/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole files read and written (see files.h). */
#include "files.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

/* What is left of a regular file: its size less the offset (0 for others). */
static size_t left_in(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    off_t at = lseek(fd, 0, SEEK_CUR);
    return at >= 0 && st.st_size > at ? (size_t)(st.st_size - at) : 0;
}

char *slurp_fd(int fd, size_t *len)
{
    /* one read of the right size for a file; doubling for the rest */
    size_t cap = left_in(fd) + 1, n = 0;
    if (cap < 1 << 16)
        cap = 1 << 16;
    char *buf = malloc(cap + 1);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && errno == EIO && isatty(fd))
            break;
        ck_assert_msg(got >= 0, "read: %s", strerror(errno));
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

void *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    ck_assert_msg(fd >= 0, "cannot open %s: %s", path, strerror(errno));
    char *buf = slurp_fd(fd, len);
    close(fd);
    return buf;
}

void spit(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_msg(fp != NULL, "cannot create %s: %s", path, strerror(errno));
    if (len)
        ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
}
