/* @config keys shared by the targets' readers (target.h). */
#include <stdio.h>
#include <string.h>

#include "targets/target.h"

int tgt_config_foreign(const char *key, const char *target, char *why, size_t cap)
{
	if (strncmp(key, "sysctl.", 7) != 0)
		return 0;
	snprintf(why, cap, "@config %s: a Linux sysctl (a shell line of the script); target %s "
			   "has no sysctls",
		 key, target);
	return TGT_NOT_MODELLED;
}
