/* Script-level parallelism shared by `run` and `diff` (cli.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>

#include "harness/cli.h"
#include "targets/target.h"

struct pool {
	void (*fn)(void *ctx, size_t i);
	void (*done)(void *ctx, size_t i, size_t finished);
	void *ctx;
	size_t n, next, finished;
	pthread_mutex_t lock;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		size_t i;
		pthread_mutex_lock(&p->lock);
		i = p->next < p->n ? p->next++ : p->n;
		pthread_mutex_unlock(&p->lock);
		if (i == p->n)
			return NULL;
		p->fn(p->ctx, i);
		pthread_mutex_lock(&p->lock);
		p->finished++;
		if (p->done)
			p->done(p->ctx, i, p->finished);
		pthread_mutex_unlock(&p->lock);
	}
}

void cli_pool_run(size_t n, int jobs, void (*fn)(void *ctx, size_t i),
		  void (*done)(void *ctx, size_t i, size_t finished), void *ctx)
{
	struct pool p = { .fn = fn, .done = done, .ctx = ctx, .n = n };
	pthread_t th[256];
	int i, nth = jobs < (int)n ? jobs : (int)n;
	if (nth > 256)
		nth = 256;
	pthread_mutex_init(&p.lock, NULL);
	for (i = 1; i < nth; i++)
		if (pthread_create(&th[i], NULL, worker, &p) != 0)
			break;
	worker(&p);
	while (--i >= 1)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.lock);
}

int cli_parse_jobs(const char *arg, int *out)
{
	char *end;
	long n = strtol(arg, &end, 10);
	if (!*arg || *end || n < 1 || n > 256)
		return -EINVAL;
	*out = (int)n;
	return 0;
}

int cli_parse_span(const char *arg, uint64_t *us)
{
	char *end;
	double sec = strtod(arg, &end);
	if (!*arg || *end || !(sec >= 0 && sec <= 86400))
		return -EINVAL;
	*us = (uint64_t)(sec * 1e6 + 0.5);
	return 0;
}

bool cli_too_slow(unsigned caps, uint64_t span_us, uint64_t max_us, char *why, size_t cap)
{
	if ((caps & TGT_CAP_VIRTUAL_TIME) || !max_us || span_us <= max_us)
		return false;
	snprintf(why, cap,
		 "slow: the script spans %.1f s, more than --max-span %.1f s on a real-time target",
		 (double)span_us / 1e6, (double)max_us / 1e6);
	return true;
}
