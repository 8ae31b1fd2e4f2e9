/* Capture files with libpcap; see pcap_out.h. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/pcap_out.h"

#define CAP_SNAPLEN 65535

struct cap_file {
	pcap_t *dead;       /* libpcap handle that only describes the link */
	pcap_dumper_t *out; /* the open file */
	int failed;         /* a write went wrong: reported by cap_close */
};

int cap_open(const char *path, struct cap_file **out, char *errbuf, size_t errcap)
{
	struct cap_file *c = calloc(1, sizeof *c);
	if (!c)
		return -ENOMEM;
	/* DLT_RAW: each record is an IP packet, version from its first nibble. */
	c->dead = pcap_open_dead(DLT_RAW, CAP_SNAPLEN);
	if (!c->dead) {
		free(c);
		return -ENOMEM;
	}
	c->out = pcap_dump_open(c->dead, path);
	if (!c->out) {
		int err = errno ? errno : EIO;
		if (errbuf && errcap)
			snprintf(errbuf, errcap, "%s", pcap_geterr(c->dead));
		pcap_close(c->dead);
		free(c);
		return -err;
	}
	*out = c;
	return 0;
}

int cap_write(struct cap_file *c, uint64_t time_us, const uint8_t *pkt, size_t n)
{
	struct pcap_pkthdr h;
	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)(time_us / 1000000u);
	h.ts.tv_usec = (suseconds_t)(time_us % 1000000u);
	h.len = (bpf_u_int32)n;
	h.caplen = (bpf_u_int32)(n > CAP_SNAPLEN ? CAP_SNAPLEN : n);
	pcap_dump((u_char *)c->out, &h, pkt);
	if (ferror(pcap_dump_file(c->out))) {
		c->failed = 1;
		return -EIO;
	}
	return 0;
}

int cap_close(struct cap_file *c)
{
	int rc;
	if (!c)
		return 0;
	rc = pcap_dump_flush(c->out) != 0 || c->failed ? -EIO : 0;
	pcap_dump_close(c->out);
	pcap_close(c->dead);
	free(c);
	return rc;
}
