/* The rule table (see ref_rule.h). */
#include "reference/ref_rule.h"

#include <stddef.h>
#include <string.h>

static const struct ref_rule_info rule_table[REF_R_COUNT] = {
#define REF_RULE_ROW(name, id, section, req, text) {id, section, req, text},
	REF_RULES(REF_RULE_ROW)
#undef REF_RULE_ROW
};

const struct ref_rule_info *ref_rule_info(enum ref_rule r)
{
	if ((unsigned)r >= (unsigned)REF_R_COUNT)
		return &rule_table[REF_R_NONE];
	return &rule_table[r];
}

const char *ref_rule_id(enum ref_rule r) { return ref_rule_info(r)->id; }

enum ref_rule ref_rule_by_id(const char *id)
{
	size_t i;

	if (id == NULL)
		return REF_R_NONE;
	for (i = 0; i < (size_t)REF_R_COUNT; i++)
		if (strcmp(rule_table[i].id, id) == 0)
			return (enum ref_rule)i;
	return REF_R_NONE;
}
