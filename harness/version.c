/* The version every report records. */
#include "harness/version.h"

const char *tc_version(void)
{
	return TCPCHECK_VERSION;
}
