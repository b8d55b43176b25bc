/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Distinct hives share no state: two threads, each with its own hive (read
 * from the same bytes), open, walk, edit, export and save at the same time.
 * The bytes have 1 MiB of trailing zeros past the hive, so that each open
 * copies them onto huge pages and each close hands its buffer to the
 * library's one spare, which the other thread's next open may take.
 * Each thread checks its own results; run under ThreadSanitizer
 * (-Db_sanitize=thread) this shows the library as shipped has no data race
 * between them (the fault-injection counters exist only in test builds).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hive_builder.h"
#include "hivekit.h"

enum { ROUNDS = 20, KEYS = 8 };

struct job {
    const uint8_t *img;
    size_t len;
    char path[640]; /* where this thread saves */
    int id;
    char failure[256];
};

static int fail(struct job *j, const char *what, hk_status st)
{
    snprintf(j->failure, sizeof j->failure, "thread %d: %s: %u %s", j->id, what, st,
             hk_strerror(st));
    return 1;
}

/* Keys and values below k, depth first. */
static hk_status walk(hk_key *k, unsigned depth, unsigned long *keys, unsigned long *values)
{
    hk_key_info ki = HK_KEY_INFO_INIT;
    hk_status st = hk_query_info_key(k, NULL, NULL, &ki);
    if (st != HK_ERROR_SUCCESS || depth > 16)
        return st;
    (*keys)++;
    for (uint32_t i = 0; i < ki.values && st == HK_ERROR_SUCCESS; i++) {
        char name[256];
        uint8_t data[256];
        size_t ns = sizeof name, ds = sizeof data;
        uint32_t type;
        st = hk_enum_value(k, i, name, &ns, &type, data, &ds);
        (*values)++;
    }
    for (uint32_t i = 0; i < ki.subkeys && st == HK_ERROR_SUCCESS; i++) {
        hk_key *sub;
        st = hk_open_subkey_at(k, i, HK_KEY_READ, &sub);
        if (st == HK_ERROR_SUCCESS) {
            st = walk(sub, depth + 1, keys, values);
            hk_close_key(sub);
        }
    }
    return st;
}

static int discard(const void *data, size_t size, void *ctx)
{
    *(size_t *)ctx += size;
    (void)data;
    return 0;
}

static int one_round(struct job *j, int round)
{
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_WRITE;
    hk_hive *h;
    hk_status st = hk_hive_open_memory(j->img, j->len, &o, &h);
    if (st != HK_ERROR_SUCCESS)
        return fail(j, "open", st);
    hk_hive_set_clock(h, UINT64_C(0x01D0000000000000) + (uint64_t)(unsigned)j->id);
    hk_key *root;
    st = hk_hive_root(h, &root);
    int bad = 0;
    for (int i = 0; i < KEYS && st == HK_ERROR_SUCCESS; i++) {
        char name[64];
        snprintf(name, sizeof name, "T%d\\R%d\\K%d", j->id, round, i);
        hk_key *k;
        st = hk_create_key(root, name, &k);
        if (st == HK_ERROR_SUCCESS) {
            uint32_t v = (uint32_t)(j->id * 1000 + i);
            st = hk_set_value_ex(k, "v", 0, HK_REG_DWORD, &v, sizeof v);
            hk_close_key(k);
        }
    }
    if (st != HK_ERROR_SUCCESS)
        bad = fail(j, "edit", st);
    unsigned long keys = 0, values = 0;
    if (!bad && (st = walk(root, 0, &keys, &values)) != HK_ERROR_SUCCESS)
        bad = fail(j, "walk", st);
    /* the sample's 4 keys and 1 value, plus T<id>, R<round> and the new keys */
    if (!bad && (keys != 4 + 2 + KEYS || values != 1 + KEYS)) {
        snprintf(j->failure, sizeof j->failure, "thread %d: walked %lu keys %lu values", j->id,
                 keys, values);
        bad = 1;
    }
    size_t written = 0;
    hk_export_options e = HK_EXPORT_OPTIONS_INIT;
    e.format = HK_FORMAT_JSON;
    if (!bad && (st = hk_export(root, &e, discard, &written)) != HK_ERROR_SUCCESS)
        bad = fail(j, "export", st);
    if (!bad && (st = hk_hive_save(h, j->path, HK_SAVE_OVERWRITE)) != HK_ERROR_SUCCESS)
        bad = fail(j, "save", st);
    hk_close_key(root);
    hk_hive_close(h);
    return bad;
}

static void *run(void *arg)
{
    struct job *j = arg;
    for (int r = 0; r < ROUNDS; r++)
        if (one_round(j, r))
            break;
    return NULL;
}

int main(void)
{
    struct hb *b = hb_new(5, "ROOT");
    uint32_t r = hb_root(b);
    uint32_t sw = hb_key(b, r, "Software");
    hb_key(b, sw, "A");
    hb_key(b, r, "System");
    hb_value(b, sw, "str", HK_REG_SZ, "v\0a\0l\0\0\0", 8);
    struct job jobs[2];
    memset(jobs, 0, sizeof jobs);
    size_t hive_len;
    uint8_t *hive = hb_finish(b, &hive_len);
    jobs[0].len = hive_len + ((size_t)1 << 20);
    uint8_t *img = calloc(jobs[0].len, 1);
    if (!img) {
        perror("calloc");
        return 1;
    }
    memcpy(img, hive, hive_len);
    free(hive);
    const char *tmp = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/hk_threads_XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        return 1;
    }
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        jobs[i].img = img;
        jobs[i].len = jobs[0].len;
        jobs[i].id = i;
        snprintf(jobs[i].path, sizeof jobs[i].path, "%s/hive%d", tmpl, i);
        if (pthread_create(&t[i], NULL, run, &jobs[i]) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    int status = 0;
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
        if (jobs[i].failure[0]) {
            printf("%s\n", jobs[i].failure);
            status = 1;
        }
        unlink(jobs[i].path);
    }
    rmdir(tmpl);
    free(img);
    if (!status)
        printf("threads: 2 threads x %d rounds on two hives, each as expected\n", ROUNDS);
    return status;
}
