/* Capture files: one pcap per script, both directions, that Wireshark and
 * tshark open (DESIGN.md §5). Written with libpcap (pcap_open_dead +
 * pcap_dump) with the raw-IP link type, so IPv4 and IPv6 packets sit side
 * by side, exactly as the codec built or received them. */
#ifndef TCPCHECK_HARNESS_PCAP_OUT_H
#define TCPCHECK_HARNESS_PCAP_OUT_H

#include <stddef.h>
#include <stdint.h>

struct cap_file;

/* Create (truncate) the capture file at `path`. On success `*out` owns the
 * open file; close it with cap_close(). Returns 0, or -errno (the file
 * could not be created) / -ENOMEM; `errbuf` (may be NULL) gets libpcap's
 * message. */
int cap_open(const char *path, struct cap_file **out, char *errbuf, size_t errcap);

/* Append one IP packet of `n` bytes stamped `time_us` microseconds (the
 * run's clock: virtual time counts from 0, shown by Wireshark as 1970).
 * Packets longer than 65535 bytes are cut to that snap length. Returns 0 or
 * -EIO. */
int cap_write(struct cap_file *c, uint64_t time_us, const uint8_t *pkt, size_t n);

/* Flush and close; returns 0 or -EIO if anything failed to reach the disk.
 * cap_close(NULL) is a no-op returning 0. */
int cap_close(struct cap_file *c);

#endif
