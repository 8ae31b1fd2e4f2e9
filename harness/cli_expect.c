/* `tcpcheck expect`: the reference fills in a script's outbound lines
 * (DESIGN.md §5, mode 3).
 *
 * The script's inbound packets and syscalls drive the reference stack (with
 * a profile); every segment it sends becomes a `>` line after the event
 * that caused it, with its time relative to the line before. Outbound lines
 * and `> none` lines already in the script are replaced. The window is left
 * out of the lines written (it is the profile's choice, not the RFC's);
 * options are written as sent. The rest of the script — comments, metadata,
 * the text of every kept line — is written back as it was. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"
#include "harness/run.h"
#include "targets/target.h"

static void expect_usage(FILE *f)
{
	fprintf(f, "usage: tcpcheck expect [options] FILE\n"
		   "\n"
		   "Runs FILE's inbound lines and syscalls on the reference and writes the\n"
		   "script with the reference's outbound lines filled in.\n"
		   "\n"
		   "  -p, --profile NAME   reference profile (default: the script's, or rfc)\n"
		   "  -o, --output FILE    write there instead of stdout\n"
		   "      --ip-version V   4 or 6 (default: the script's)\n"
		   "  -D NAME=VALUE        define NAME for the script (repeatable)\n"
		   "      --seed N         seed for ISNs and ports (default 1)\n"
		   "  -h, --help           this text\n");
}

/* ---- building `>` events -------------------------------------------------- */

static int opts_to_script(const struct seg_opts *o, uint32_t sack_base, struct scr_packet *p)
{
	size_t i = 0, n = 0;
	struct scr_opt *v = calloc(SEG_TCP_OPT_MAX, sizeof *v);
	if (!v)
		return -ENOMEM;
	/* Walk the raw bytes: the order on the wire is what a line states. */
	while (i < o->len && n < SEG_TCP_OPT_MAX) {
		uint8_t kind = o->raw[i], len = i + 1 < o->len ? o->raw[i + 1] : 0;
		struct scr_opt *x = &v[n];
		if (kind == SEG_OPT_EOL)
			break; /* padding */
		if (kind == SEG_OPT_NOP) {
			x->kind = SEG_OPT_NOP;
			n++;
			i++;
			continue;
		}
		if (len < 2 || i + len > o->len)
			break;
		x->kind = kind;
		if (kind == SEG_OPT_MSS)
			x->val = o->mss;
		else if (kind == SEG_OPT_WSCALE)
			x->val = o->wscale;
		else if (kind == SEG_OPT_TS) {
			x->val = o->ts_val;
			x->ecr = o->ts_ecr;
		} else if (kind == SEG_OPT_SACK) {
			unsigned k;
			x->n_sack = o->sack_count;
			for (k = 0; k < o->sack_count && k < SCR_MAX_SACK; k++) {
				x->sack[k].left = o->sack[k].left - sack_base;
				x->sack[k].right = o->sack[k].right - sack_base;
			}
		} else if (kind != SEG_OPT_SACK_PERM) {
			free(v);
			p->any_opts = true; /* an option scripts cannot write */
			return 0;
		}
		n++;
		i += len;
	}
	p->opts = n ? v : NULL;
	p->n_opts = n;
	if (!n)
		free(v);
	return 0;
}

static int fill_packet(struct scr_event *ev, const struct run_record *rec,
		       const struct run_result *r, int64_t delta)
{
	struct scr_packet *p = &ev->u.packet;
	const struct seg *s = &rec->seg;
	ev->kind = SCR_EV_PACKET;
	ev->time.kind = SCR_TIME_REL;
	ev->time.start_us = delta;
	p->dir = SCR_OUT;
	p->flags = s->flags;
	p->seq_start = s->seq - r->local_isn;
	p->len = (uint16_t)s->len;
	p->seq_end = p->seq_start + p->len;
	p->has_ack = (s->flags & SEG_ACK) != 0;
	p->ack = s->ack - r->remote_isn;
	p->has_urg = (s->flags & SEG_URG) != 0;
	p->urg = s->urp;
	return opts_to_script(&s->opts, r->remote_isn, p);
}

/* ---- rewriting the script ---------------------------------------------------- */

static bool replaced(const struct scr_event *ev)
{
	return (ev->kind == SCR_EV_PACKET && ev->u.packet.dir == SCR_OUT) ||
	       ev->kind == SCR_EV_NONE;
}

/* Drop the outbound and `> none` events, keeping their leading comments
 * for the event that follows. `map[i]` gets each old event's new index. */
static void drop_replaced(struct scr_script *s, size_t *map)
{
	size_t i, k = 0;
	char *lead = NULL;
	for (i = 0; i < s->n_events; i++) {
		struct scr_event *ev = &s->events[i];
		map[i] = k;
		if (replaced(ev)) {
			if (!lead) {
				lead = ev->lead;
				ev->lead = NULL;
			}
			scr_event_clear(ev);
			map[i] = SIZE_MAX;
			continue;
		}
		if (lead && !ev->lead) {
			ev->lead = lead;
			lead = NULL;
		}
		s->events[k++] = *ev;
	}
	free(lead);
	s->n_events = k;
}

/* The time of an event relative to the item before it changed: rewrite it. */
static void retime(struct scr_event *ev, int64_t delta)
{
	if (ev->time.kind == SCR_TIME_REL && ev->time.start_us != delta) {
		ev->time.start_us = delta;
		scr_event_clear_text(ev);
	} else if (ev->time.kind == SCR_TIME_REL_WINDOW && ev->time.start_us != delta) {
		ev->time.end_us += delta - ev->time.start_us;
		ev->time.start_us = delta;
		scr_event_clear_text(ev);
	}
}

/* Add one record as a `>` event at `*pos`. */
static int add_record(struct scr_script *s, size_t *pos, const struct run_record *x,
		      const struct run_result *r, int64_t *prev)
{
	struct scr_event *ev = scr_script_insert_event(s, *pos);
	if (!ev || fill_packet(ev, x, r, (int64_t)x->time_us - *prev) != 0)
		return -ENOMEM;
	*prev = (int64_t)x->time_us;
	(*pos)++;
	return 0;
}

/* Walk the output order — records before the first event, then each old
 * event (if kept) followed by its records — inserting records and fixing
 * relative times as it goes. `kept[i]` says whether old event i is still
 * there (at the next position). */
static int insert_records(struct scr_script *s, const struct run_result *r,
			  const int64_t *old_us, size_t n_old, const size_t *kept)
{
	size_t i, rec = 0, pos = 0;
	int64_t prev = 0;
	while (rec < r->n_records && r->records[rec].after_event == SIZE_MAX)
		if (add_record(s, &pos, &r->records[rec++], r, &prev) != 0)
			return -ENOMEM;
	for (i = 0; i < n_old; i++) {
		if (kept[i] != SIZE_MAX) {
			retime(&s->events[pos++], old_us[i] - prev);
			prev = old_us[i];
		}
		while (rec < r->n_records && r->records[rec].after_event == i)
			if (add_record(s, &pos, &r->records[rec++], r, &prev) != 0)
				return -ENOMEM;
	}
	return 0;
}

/* ---- the command -------------------------------------------------------------------- */

struct expect_cfg {
	const char *profile;
	const char *output;
	int family;
	uint64_t seed;
	struct scr_define defines[64];
	size_t n_defines;
};

static int parse_expect_args(int argc, char **argv, struct expect_cfg *c)
{
	static const struct option longs[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "ip-version", required_argument, NULL, 'i' },
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	memset(c, 0, sizeof *c);
	c->seed = 1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:o:D:h", longs, NULL)) != -1) {
		char *eq;
		switch (opt) {
		case 'p': c->profile = optarg; break;
		case 'o': c->output = optarg; break;
		case 'i':
			c->family = optarg[0] == '6' || strcmp(optarg, "ipv6") == 0 ? 6 : 4;
			break;
		case 's': c->seed = strtoull(optarg, NULL, 0); break;
		case 'D':
			eq = strchr(optarg, '=');
			if (!eq || c->n_defines == 64)
				return -1;
			*eq = '\0';
			c->defines[c->n_defines].name = optarg;
			c->defines[c->n_defines++].value = eq + 1;
			break;
		case 'h': return 1;
		default: return -1;
		}
	}
	return optind == argc - 1 ? 0 : -1;
}

static int write_out(const struct expect_cfg *c, const struct scr_script *s)
{
	char *text;
	size_t len;
	FILE *f = stdout;
	if (scr_write(s, SCR_WRITE_SOURCE, &text, &len) != 0)
		return -ENOMEM;
	if (c->output && !(f = fopen(c->output, "w"))) {
		free(text);
		return -errno;
	}
	fwrite(text, 1, len, f);
	free(text);
	if (f != stdout)
		return fclose(f) == 0 ? 0 : -EIO;
	return fflush(f) == 0 ? 0 : -EIO;
}

static int expect_script(const struct expect_cfg *c, struct scr_script *s)
{
	struct run_opts o;
	struct run_result r;
	size_t n_old = s->n_events, *map;
	int rc;
	memset(&o, 0, sizeof o);
	o.target = tgt_find("ref");
	o.profile = c->profile;
	o.family = c->family;
	o.seed = c->seed;
	o.record = true;
	o.tolerance_us = -1;
	if (!o.target || run_script(s, &o, &r) != 0)
		return -ENOMEM;
	if (r.verdict == RUN_ERROR || r.verdict == RUN_SKIP || r.n_mismatches) {
		fprintf(stderr, "tcpcheck expect: %s: %s\n", s->path,
			r.n_mismatches ? r.mismatches[0].msg : r.reason);
		run_result_free(&r);
		return -EINVAL;
	}
	map = calloc(n_old + 1, sizeof *map);
	rc = map ? 0 : -ENOMEM;
	if (rc == 0) {
		drop_replaced(s, map);
		rc = insert_records(s, &r, r.event_us, n_old, map);
	}
	free(map);
	run_result_free(&r);
	return rc;
}

int cli_expect(int argc, char **argv)
{
	struct expect_cfg c;
	struct scr_script *s = NULL;
	struct scr_diag diag;
	int rc = parse_expect_args(argc, argv, &c);
	if (rc != 0) {
		expect_usage(rc > 0 ? stdout : stderr);
		return rc > 0 ? CLI_OK : CLI_USAGE;
	}
	if (cli_load_script(argv[optind], c.family, c.defines, c.n_defines, &s, &diag) != 0) {
		fprintf(stderr, "%s\n", diag.msg);
		return CLI_USAGE;
	}
	rc = expect_script(&c, s);
	if (rc == 0)
		rc = write_out(&c, s);
	else if (rc == -ENOMEM)
		fprintf(stderr, "tcpcheck expect: out of memory\n");
	scr_script_free(s);
	return rc == 0 ? CLI_OK : CLI_FAILED;
}
