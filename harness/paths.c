/* Finding the scripts a command was given; see cli.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/cli.h"

#define PATHS_MAX_DEPTH 32 /* directory nesting walked (against link loops) */

bool cli_is_script(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".pkt") == 0;
}

static int paths_add(struct cli_paths *l, const char *p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = strdup(p);
	return l->v[l->n++] ? 0 : -ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every script under `dir`, recursively. */
static int walk(struct cli_paths *l, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;
	if (depth > PATHS_MAX_DEPTH)
		return 0;
	d = opendir(dir);
	if (!d)
		return -errno;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char p[4096];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (stat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = walk(l, p, depth + 1);
		else if (S_ISREG(st.st_mode) && cli_is_script(e->d_name))
			rc = paths_add(l, p);
	}
	closedir(d);
	return rc;
}

int cli_collect_scripts(const char *cmd, int argc, char **argv, struct cli_paths *l)
{
	int i;
	for (i = 0; i < argc; i++) {
		struct stat st;
		char p[4096];
		size_t before = l->n;
		snprintf(p, sizeof p, "%s", argv[i]);
		while (strlen(p) > 1 && p[strlen(p) - 1] == '/')
			p[strlen(p) - 1] = '\0';
		if (stat(p, &st) != 0) {
			fprintf(stderr, "tcpcheck %s: %s: %s\n", cmd, p, strerror(errno));
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			if (walk(l, p, 0) != 0)
				return -1;
			qsort(l->v + before, l->n - before, sizeof *l->v, cmp_str);
		} else if (paths_add(l, p) != 0) {
			return -1;
		}
	}
	return 0;
}

void cli_paths_free(struct cli_paths *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}
