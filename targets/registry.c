/* The targets this build has (target.h). Adding a stack: one line here. */
#include <string.h>

#include "targets/agent/agent_target.h"
#include "targets/linux/lx_target.h"
#include "targets/lwip/lwip_target.h"
#include "targets/ref/ref_target.h"
#include "targets/target.h"

static const struct tgt_ops *const registry[] = {
	&ref_target_ops,
	&lwip_target_ops,
	&lx_target_ops,
	&lx_raw_target_ops,
	&agent_target_ops,
};

const struct tgt_ops *const *tgt_registry(size_t *n)
{
	*n = sizeof registry / sizeof registry[0];
	return registry;
}

const struct tgt_ops *tgt_find(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof registry / sizeof registry[0]; i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}
