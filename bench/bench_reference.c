/* Benchmark: the reference stack's full per-segment path.
 *
 * Bulk: an established connection receives 1460-byte segments. The peer
 * encodes a batch of them (with checksums) outside the timed part; then,
 * timed, each one is decoded by the stack from its bytes with the checksum
 * verified (ref_stack_input_packet), processed, every segment the stack
 * sends back (its ACKs) is encoded with its checksum, and the application
 * reads what arrived: one full path per segment. A second figure includes
 * the peer's encoding too.
 *
 * Handshakes: SYN in, SYN-ACK out (encoded), ACK in, accept(), then the
 * peer resets the connection and the socket is closed: each handshake a
 * fresh connection on a new port.
 *
 * The bulk run is repeated with RFC 7323 timestamps and SACK negotiated
 * (every segment carries TSopt; every 32nd pair of segments arrives
 * swapped, so the stack holds one out of order and sends SACK blocks).
 *
 * Prints name=value lines:
 *   segments_per_sec=N   bulk data segments through the whole path
 *   ns_per_segment=X
 *   ts_sack_segments_per_sec=N, ts_sack_ns_per_segment=X  (the variant)
 *   handshakes_per_sec=N
 * Run it on one core (ci/bench.sh does: taskset -c 0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reference/ref_sock.h"
#include "reference/ref_stack.h"
#include "reference/seg.h"

#define MSS 1460
#define BULK_SEGMENTS 4000000u
#define BATCH 256 /* segments the peer encodes ahead */
#define HANDSHAKES 400000u

static const uint8_t stack_addr[4] = { 192, 0, 2, 1 };
static const uint8_t peer_addr[4] = { 192, 0, 2, 2 };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct bench {
	struct ref_stack *st;
	struct ref_output *out;
	uint8_t pkt[SEG_MAX_PACKET];
	uint8_t batch[BATCH][MSS + 40];
	size_t batch_len[BATCH];
	uint8_t payload[MSS];
	uint8_t rbuf[1 << 16];
	uint64_t now;
	uint64_t encoded_out;
	uint32_t iss;
	int ts_sack;     /* negotiate timestamps and SACK, reorder a little */
	uint32_t tsval;  /* the peer's timestamp clock */
};

static void peer_seg(struct seg *s, uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags)
{
	seg_init(s, SEG_IPV4);
	memcpy(s->src, peer_addr, 4);
	memcpy(s->dst, stack_addr, 4);
	s->sport = sport;
	s->dport = 8080;
	s->seq = seq;
	s->ack = ack;
	s->flags = flags;
	s->wnd = 65535;
}

/* Encode `s` and hand the bytes to the stack. */
static void deliver(struct bench *b, const struct seg *s)
{
	size_t n = 0;
	if (seg_encode(s, b->pkt, sizeof b->pkt, &n) != 0 ||
	    ref_stack_input_packet(b->st, b->pkt, n, b->now) != 0) {
		fprintf(stderr, "bench_reference: input failed\n");
		exit(1);
	}
}

/* Encode everything the stack sent (the outbound half of the path). */
static uint32_t drain(struct bench *b, uint32_t *last_seq)
{
	uint32_t count = 0;
	while (ref_stack_pop_output(b->st, b->out) == 1) {
		size_t n = 0;
		b->out->seg.payload = b->out->data;
		seg_encode(&b->out->seg, b->pkt, sizeof b->pkt, &n);
		if (last_seq)
			*last_seq = b->out->seg.seq;
		b->encoded_out += n;
		count++;
	}
	return count;
}

static struct bench *bench_new(void)
{
	struct ref_stack_config cfg;
	struct bench *b = calloc(1, sizeof *b);
	ref_stack_config_default(&cfg);
	cfg.profile.rcv_buf = 1u << 20;
	b->st = ref_stack_new(&cfg);
	b->out = malloc(sizeof *b->out);
	b->now = 1000000;
	if (!b->st || !b->out) {
		fprintf(stderr, "bench_reference: cannot create the stack\n");
		exit(1);
	}
	return b;
}

static int listen_on_8080(struct bench *b)
{
	struct ref_sockaddr a = { .family = SEG_IPV4, .port = 8080 };
	int fd = ref_socket(b->st, SEG_IPV4, b->now);
	memcpy(a.addr, stack_addr, 4);
	if (fd < 0 || ref_bind(b->st, fd, &a, b->now) != 0 || ref_listen(b->st, fd, 64, b->now))
		exit(1);
	return fd;
}

/* SYN, SYN-ACK, ACK; returns the accepted socket. */
static int handshake(struct bench *b, int lfd, uint16_t port, uint32_t irs)
{
	struct seg s;
	uint32_t iss = 0;
	int fd;
	peer_seg(&s, port, irs, 0, SEG_SYN);
	seg_opts_add_mss(&s.opts, MSS);
	if (b->ts_sack) {
		seg_opts_add_sack_perm(&s.opts);
		seg_opts_add_ts(&s.opts, ++b->tsval, 0);
	}
	deliver(b, &s);
	drain(b, &iss);
	peer_seg(&s, port, irs + 1, iss + 1, SEG_ACK);
	if (b->ts_sack) {
		seg_opts_add_nop(&s.opts);
		seg_opts_add_nop(&s.opts);
		seg_opts_add_ts(&s.opts, ++b->tsval, 1);
	}
	deliver(b, &s);
	drain(b, NULL);
	fd = ref_accept(b->st, lfd, NULL, b->now);
	b->iss = iss;
	return fd;
}

/* The peer encodes the next BATCH data segments from `*seq` on. */
static void encode_batch(struct bench *b, uint32_t *seq)
{
	unsigned k;
	for (k = 0; k < BATCH; k++) {
		struct seg s;
		peer_seg(&s, 40000, *seq, b->iss + 1, SEG_ACK);
		s.payload = b->payload;
		s.len = MSS - (b->ts_sack ? 12 : 0);
		if (b->ts_sack) {
			seg_opts_add_nop(&s.opts);
			seg_opts_add_nop(&s.opts);
			seg_opts_add_ts(&s.opts, ++b->tsval, 1);
		}
		if (seg_encode(&s, b->batch[k], sizeof b->batch[k], &b->batch_len[k]) != 0)
			exit(1);
		*seq += (uint32_t)s.len;
	}
	for (k = 0; b->ts_sack && k + 1 < BATCH; k += 32) { /* one pair swapped */
		uint8_t tmp[MSS + 40];
		size_t n = b->batch_len[k];
		memcpy(tmp, b->batch[k], n);
		memcpy(b->batch[k], b->batch[k + 1], b->batch_len[k + 1]);
		memcpy(b->batch[k + 1], tmp, n);
		b->batch_len[k] = b->batch_len[k + 1];
		b->batch_len[k + 1] = n;
	}
}

/* Timed: the stack's whole path for one batch. */
static void run_batch(struct bench *b, int fd)
{
	unsigned k;
	for (k = 0; k < BATCH; k++) {
		if (ref_stack_input_packet(b->st, b->batch[k], b->batch_len[k], b->now) != 0)
			exit(1);
		b->now += 10; /* 10 us a segment: ~1.2 Gbit/s of virtual line rate */
		drain(b, NULL);
		while (ref_recv(b->st, fd, b->rbuf, sizeof b->rbuf, 0, b->now) > 0)
			;
	}
}

static void bulk(struct bench *b)
{
	int lfd = listen_on_8080(b);
	uint32_t irs = 7, seq = irs + 1, i;
	int fd = handshake(b, lfd, 40000, irs);
	double path = 0, total, t0 = now_s();
	for (i = 0; i < BULK_SEGMENTS; i += BATCH) {
		double t1;
		encode_batch(b, &seq);
		t1 = now_s();
		run_batch(b, fd);
		path += now_s() - t1;
	}
	total = now_s() - t0;
	if (b->ts_sack) {
		printf("ts_sack_segments_per_sec=%.0f\nts_sack_ns_per_segment=%.1f\n",
		       BULK_SEGMENTS / path, path * 1e9 / BULK_SEGMENTS);
		printf("ts_sack_segments_per_sec_with_peer_encode=%.0f\n", BULK_SEGMENTS / total);
	} else {
		printf("segments=%u\nsegments_per_sec=%.0f\nns_per_segment=%.1f\n", BULK_SEGMENTS,
		       BULK_SEGMENTS / path, path * 1e9 / BULK_SEGMENTS);
		printf("segments_per_sec_with_peer_encode=%.0f\n", BULK_SEGMENTS / total);
	}
	if (b->encoded_out == 0)
		exit(1); /* the stack must have acknowledged something */
}

static void handshakes(struct bench *b)
{
	int lfd = listen_on_8080(b);
	struct seg s;
	double t0 = now_s(), dt;
	uint32_t i;
	for (i = 0; i < HANDSHAKES; i++) {
		uint16_t port = (uint16_t)(20000 + i % 40000);
		uint32_t irs = i * 7919u;
		int fd = handshake(b, lfd, port, irs);
		if (fd < 0) {
			fprintf(stderr, "bench_reference: accept failed (%d)\n", fd);
			exit(1);
		}
		/* The peer resets the connection (exact RST): CLOSED. */
		peer_seg(&s, port, irs + 1, 0, SEG_RST);
		deliver(b, &s);
		ref_close(b->st, fd, b->now);
		drain(b, NULL);
		b->now += 10;
	}
	dt = now_s() - t0;
	printf("handshakes=%u\nhandshakes_per_sec=%.0f\n", HANDSHAKES, HANDSHAKES / dt);
}

int main(void)
{
	struct bench *b = bench_new();
	bulk(b);
	ref_stack_free(b->st);
	free(b->out);
	free(b);
	b = bench_new();
	b->ts_sack = 1;
	bulk(b);
	ref_stack_free(b->st);
	free(b->out);
	free(b);
	b = bench_new();
	handshakes(b);
	ref_stack_free(b->st);
	free(b->out);
	free(b);
	return 0;
}
