/* Loading scripts from files, with the per-family predefined values. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/cli.h"

#define LOAD_MAX_BYTES (16u << 20) /* a script larger than this is an error */

/* One script serves both families: these names stand for what differs. */
static const struct scr_define v4_defines[] = {
	{ "MSS", "1460" },             /* the MSS of a 1500-byte MTU */
	{ "DEFAULT_MSS", "536" },      /* RFC 9293 MUST-15, IPv4 */
	{ "MTU", "1500" },
	{ "MIN_MTU", "576" },
	{ "ICMP_TOO_BIG", "unreachable frag_needed" },
	{ "ICMP_PORT_UNREACH", "unreachable port_unreachable" },
	{ "CMSG_LEVEL_IP", "SOL_IP" },   /* the kernel's packetdrill selftests' */
	{ "CMSG_TYPE_RECVERR", "IP_RECVERR" },
};

static const struct scr_define v6_defines[] = {
	{ "MSS", "1440" },
	{ "DEFAULT_MSS", "1220" },     /* RFC 9293 MUST-15, IPv6 */
	{ "MTU", "1500" },
	{ "MIN_MTU", "1280" },
	{ "ICMP_TOO_BIG", "packet_too_big" },
	{ "ICMP_PORT_UNREACH", "unreachable port_unreachable" },
	{ "CMSG_LEVEL_IP", "SOL_IPV6" },
	{ "CMSG_TYPE_RECVERR", "IPV6_RECVERR" },
};

const struct scr_define *cli_family_defines(int family, size_t *n)
{
	if (family == 6) {
		*n = sizeof v6_defines / sizeof v6_defines[0];
		return v6_defines;
	}
	*n = sizeof v4_defines / sizeof v4_defines[0];
	return v4_defines;
}

static int read_file(const char *path, char **text, size_t *len, struct scr_diag *diag)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *buf;
	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		int err = f ? EISDIR : errno;
		snprintf(diag->msg, sizeof diag->msg, "%s: %s", path, strerror(err));
		if (f)
			fclose(f);
		return -err;
	}
	if ((size_t)st.st_size > LOAD_MAX_BYTES) {
		snprintf(diag->msg, sizeof diag->msg, "%s: larger than %u bytes", path,
			 LOAD_MAX_BYTES);
		fclose(f);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		snprintf(diag->msg, sizeof diag->msg, "%s: read failed", path);
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*text = buf;
	*len = (size_t)st.st_size;
	return 0;
}

int cli_load_script(const char *path, int family, const struct scr_define *user, size_t n_user,
		    struct scr_script **out, struct scr_diag *diag)
{
	struct scr_defines defs;
	char *text = NULL;
	size_t len = 0;
	int rc;
	memset(diag, 0, sizeof *diag);
	rc = read_file(path, &text, &len, diag);
	if (rc != 0)
		return rc;
	memset(&defs, 0, sizeof defs);
	defs.user = user;
	defs.n_user = n_user;
	defs.ipv4 = cli_family_defines(4, &defs.n_ipv4);
	defs.ipv6 = cli_family_defines(6, &defs.n_ipv6);
	defs.family = family;
	rc = scr_parse(path, text, len, &defs, out, diag);
	free(text);
	if (rc == 0 && (rc = cli_shell_translate(*out, path)) != 0) {
		snprintf(diag->msg, sizeof diag->msg, "%s: shell commands: %s", path,
			 strerror(-rc));
		scr_script_free(*out);
		*out = NULL;
	}
	return rc;
}
