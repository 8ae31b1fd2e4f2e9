/* See lwip_common.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lwip_common.h"
#include "targets/lwip/lwip_inproc.h"
#include "known_lwip.h" /* fz_known_lwip_tsv: fuzz/known/lwip.tsv, generated */

#define MAX_KNOWN 128

static struct {
	char kind[256];
	char id[64];
	unsigned long seen;
} known[MAX_KNOWN];
static size_t n_known;
static bool strict, go_on;
static const char *save_dir;
static const uint8_t *cur_data;
static size_t cur_size;

void fzl_input(const uint8_t *data, size_t size)
{
	cur_data = data;
	cur_size = size;
}

/* FZ_SAVE_DIR: the first input of each new kind, as DIR/<kind>.input. */
static void save_input(const char *kind)
{
	char path[512], name[200];
	size_t i, k = 0;
	FILE *f;
	if (!save_dir || !cur_data)
		return;
	for (i = 0; kind[i] && k + 1 < sizeof name; i++)
		name[k++] = (kind[i] >= 'a' && kind[i] <= 'z') || (kind[i] >= '0' && kind[i] <= '9') ||
				    kind[i] == '.' || kind[i] == '-'
			    ? kind[i]
			    : '_';
	name[k] = '\0';
	snprintf(path, sizeof path, "%s/%s.input", save_dir, name);
	if ((f = fopen(path, "rb")) != NULL) {
		fclose(f);
		return;
	}
	if ((f = fopen(path, "wb")) != NULL) {
		fwrite(cur_data, 1, cur_size, f);
		fclose(f);
	}
}

static void add_line(const char *line, size_t len)
{
	const char *tab = memchr(line, '\t', len), *bar, *end;
	size_t k, rest;
	if (!tab || line[0] == '#' || n_known == MAX_KNOWN)
		return;
	bar = strstr(line, " | ");
	k = (bar && bar < tab ? bar : tab) - line;
	snprintf(known[n_known].kind, sizeof known[n_known].kind, "%.*s", (int)k, line);
	rest = len - (size_t)(tab + 1 - line);
	end = memchr(tab + 1, '\t', rest);
	snprintf(known[n_known].id, sizeof known[n_known].id, "%.*s",
		 (int)(end ? (size_t)(end - tab - 1) : rest), tab + 1);
	n_known++;
}

static void load(const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		add_line(text, len);
		text += len + (nl != NULL);
	}
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    !(buf = malloc((size_t)n + 1))) {
		fclose(f);
		return NULL;
	}
	buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return buf;
}

void fzl_init(void)
{
	const char *path = getenv("FZ_KNOWN"), *s = getenv("FZ_STRICT");
	strict = s && !strcmp(s, "1");
	s = getenv("FZ_CONTINUE");
	go_on = s && !strcmp(s, "1");
	save_dir = getenv("FZ_SAVE_DIR");
	if (path) {
		char *text = read_file(path);
		if (!text) {
			fprintf(stderr, "FZ_KNOWN=%s: cannot read it\n", path);
			exit(2);
		}
		load(text);
		free(text);
	} else {
		load(fz_known_lwip_tsv);
	}
}

/* lwip-optread: would tcp_parseopt() read the length byte of an option
 * whose kind is the last byte of the packet? (It reads one byte past the
 * options; past the packet when no payload follows.) */
static bool known_optread(const uint8_t *p, size_t n)
{
	size_t ihl, off, optlen, i = 0;
	if (n < 20 || (p[0] >> 4) != 4 || p[9] != 6)
		return false;
	ihl = (size_t)(p[0] & 15) * 4;
	if (n < ihl + 20)
		return false;
	off = (size_t)(p[ihl + 12] >> 4) * 4;
	if (off < 20 || ihl + off != n)
		return false; /* payload follows the options: the read stays inside */
	optlen = off - 20;
	p += ihl + 20;
	while (i < optlen) {
		uint8_t kind = p[i++];
		if (kind == 0)
			return false;
		if (kind == 1)
			continue;
		if (i >= optlen)
			return true;
		if (kind == 2 || kind == 3 || kind == 4 || kind == 8) {
			static const uint8_t want[9] = { 0, 0, 4, 3, 2, 0, 0, 0, 10 };
			if (p[i] != want[kind] || i - 1 + want[kind] > optlen)
				return false; /* lwIP stops at a bad length */
			i += want[kind] - 1u;
			continue;
		}
		if (p[i] < 2)
			return false;
		i += p[i] - 1u;
	}
	return false;
}

static bool skipped;
static struct tgt_ops ops;

static int filtered_inject(struct tgt *t, const uint8_t *pkt, size_t len)
{
	if (!strict && known_optread(pkt, len)) {
		skipped = true;
		return 0;
	}
	return lwip_inproc_target_ops.inject(t, pkt, len);
}

const struct tgt_ops *fzl_ops(void)
{
	if (!ops.name) {
		ops = lwip_inproc_target_ops;
		ops.inject = filtered_inject;
	}
	return &ops;
}

bool fzl_skipped(void)
{
	bool was = skipped;
	skipped = false;
	return was;
}

struct tgt *fzl_open(void)
{
	static const uint8_t local[16] = { 192, 0, 2, 1 }, remote[16] = { 192, 0, 2, 2 };
	struct tgt_config cfg = { .family = 4, .seed = 1 };
	struct tgt *t = NULL;
	char why[256] = "";
	memcpy(cfg.local_addr, local, 16);
	memcpy(cfg.remote_addr, remote, 16);
	if (fzl_ops()->open(&cfg, &t, why, sizeof why) != 0) {
		fprintf(stderr, "cannot open lwIP in-process: %s\n", why);
		abort();
	}
	t->ops = fzl_ops();
	return t;
}

const char *fzl_known(const char *kind)
{
	size_t i;
	for (i = 0; i < n_known; i++)
		if (!strcmp(known[i].kind, kind))
			return known[i].id;
	return NULL;
}

void fzl_assertion_kind(const char *failure, char *kind, size_t cap)
{
	const char *colon = strrchr(failure, ':');
	int n = colon ? (int)(colon - failure) : (int)strlen(failure);
	snprintf(kind, cap, "%.*s", n, failure);
}

void fzl_finding(const char *who, const char *kind, const char *detail)
{
	size_t i;
	for (i = 0; i < n_known && !strict; i++) {
		if (strcmp(known[i].kind, kind) != 0)
			continue;
		if (known[i].seen++ == 0)
			fprintf(stderr, "%s: known finding %s: %s\n", who, known[i].id, kind);
		return;
	}
	fprintf(stderr, "%s: %s\n%s: %s\n", who, kind, who, detail);
	save_input(kind);
	if (!go_on)
		abort();
}
