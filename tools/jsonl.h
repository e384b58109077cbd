/*
 * A reader for Bulkhead's log lines: one flat JSON object per line whose values
 * are strings, numbers, booleans or null. Used by bhlog and the system tests.
 */
#ifndef BULKHEAD_TOOLS_JSONL_H
#define BULKHEAD_TOOLS_JSONL_H

#include <stdbool.h>
#include <stdint.h>

enum jtype { J_STR, J_NUM, J_BOOL, J_NULL };

struct jfield {
	char key[32];
	enum jtype type;
	char text[256]; /* unescaped string, or the number/true/false/null as written */
};

struct jobj {
	struct jfield f[40];
	int n;
};

/* Parses one line (trailing \r\n allowed). False if it is not a flat JSON object. */
bool jsonl_parse(const char *line, struct jobj *o);
/* The field, or NULL if absent. o may be NULL (no such event): every field is absent,
 * so a test that looks into an event that never came fails its assertion, not by a
 * crash. */
const struct jfield *jobj_get(const struct jobj *o, const char *key);
/* The field's text, or "" if absent. */
const char *jobj_str(const struct jobj *o, const char *key);
/* A numeric field as u64; def if absent or not a number. */
uint64_t jobj_u64(const struct jobj *o, const char *key, uint64_t def);

#endif
