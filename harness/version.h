/* tcpcheck's version, as reports record it. */
#ifndef TCPCHECK_HARNESS_VERSION_H
#define TCPCHECK_HARNESS_VERSION_H

/* The version string, e.g. "0.1.0"; static storage. */
const char *tc_version(void);

#endif
