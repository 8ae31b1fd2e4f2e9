/* Fuzz target: the script front end (harness/script.h).
 *
 * Parse arbitrary bytes as a script, with a few defines (user and
 * per-family) so that substitution is exercised. What parses must:
 *   - write back in source form to exactly the input bytes;
 *   - write in canonical form to text that parses again, with the same
 *     defines, to an AST whose canonical form is the same text (the
 *     write-back round trip), with the same counts of events, skips and
 *     python blocks;
 *   - format every event and expression without failing.
 * What does not parse must come back as a negative code with a message.
 * Any crash, sanitizer report, leak or broken round trip is a finding. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/script.h"

/* A finding: stop the way libFuzzer and the replay runner both catch. */
#define FUZZ_CHECK(cond)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "fuzz_script_parse: check failed: %s\n", #cond); \
			abort();                                                         \
		}                                                                        \
	} while (0)

/* No value names a define, so the canonical text (defines expanded)
 * parses to the same AST with the same defines. */
static const struct scr_define user[] = {{"MSS", "1460"},
					 {"EVENTS", "POLLIN|POLLOUT"},
					 {"SYNACK", "S."},
					 {"EMPTY", ""},
					 {"ADDR", "{sa_family=AF_INET, sin_port=htons(8080)}"},
					 {"BAD", "1.2.3"}};
static const struct scr_define v4[] = {{"FAM", "AF_INET"}, {"MSS", "536"}};
static const struct scr_define v6[] = {{"FAM", "AF_INET6"}, {"HOPS", "ttl 1"}};

static void format_all(const struct scr_script *s)
{
	char buf[64];
	size_t i, j;
	for (i = 0; i < s->n_events; i++) {
		const struct scr_event *ev = &s->events[i];
		FUZZ_CHECK(scr_event_format(ev, buf, sizeof buf) >= 0);
		if (ev->kind != SCR_EV_SYSCALL)
			continue;
		for (j = 0; j < ev->u.sys.n_args; j++)
			FUZZ_CHECK(scr_expr_format(ev->u.sys.args[j], buf, sizeof buf) >= 0);
		FUZZ_CHECK(ev->u.sys.ret.expr != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scr_defines defs = {user, sizeof user / sizeof user[0], v4, 2, v6, 2, 0};
	struct scr_script *s = NULL, *t = NULL;
	struct scr_diag d;
	char *src = NULL, *gen = NULL, *gen2 = NULL;
	size_t n = 0, n2 = 0;
	int rc;
	if (size && (data[0] & 1))
		defs.family = 6; /* one bit of the input picks the family half the time */
	rc = scr_parse("fuzz.pkt", (const char *)data, size, &defs, &s, &d);
	if (rc) {
		FUZZ_CHECK(rc < 0 && s == NULL && d.code == rc && d.msg[0] != '\0');
		FUZZ_CHECK(scr_strerror(rc) != NULL);
		return 0;
	}
	FUZZ_CHECK(s != NULL);
	format_all(s);

	FUZZ_CHECK(scr_write(s, SCR_WRITE_SOURCE, &src, &n) == 0);
	FUZZ_CHECK(n == size && (size == 0 || memcmp(src, data, size) == 0));

	FUZZ_CHECK(scr_write(s, SCR_WRITE_REGEN, &gen, &n) == 0);
	rc = scr_parse("regen.pkt", gen, n, &defs, &t, &d);
	if (rc) {
		fprintf(stderr, "canonical text does not parse: %s\n--- text ---\n%s\n", d.msg,
			gen);
		abort();
	}
	FUZZ_CHECK(t->n_events == s->n_events && t->n_skips == s->n_skips);
	FUZZ_CHECK(t->n_python == s->n_python && t->n_python_asserts == s->n_python_asserts);
	FUZZ_CHECK(t->n_options == s->n_options && t->family == s->family);
	FUZZ_CHECK(scr_write(t, SCR_WRITE_REGEN, &gen2, &n2) == 0);
	if (n != n2 || memcmp(gen, gen2, n) != 0) {
		fprintf(stderr,
			"canonical text not stable\n--- first ---\n%s\n--- second ---\n%s\n", gen,
			gen2);
		abort();
	}
	free(src);
	free(gen);
	free(gen2);
	scr_script_free(t);
	scr_script_free(s);
	return 0;
}
