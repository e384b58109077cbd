#include <stdlib.h>
#include <string.h>
#include "jsonl.h"

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A JSON string at p (after the quote); returns the char after the closing quote. */
static const char *parse_string(const char *p, char *out, size_t cap)
{
	size_t n = 0;

	for (; *p && *p != '"'; p++) {
		char c = *p;

		if (c == '\\') {
			p++;
			switch (*p) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '"': case '\\': case '/': c = *p; break;
			case 'u':
				if (!p[1] || !p[2] || !p[3] || !p[4])
					return NULL;
				{
					char hex[5] = { p[1], p[2], p[3], p[4], 0 };
					long v = strtol(hex, NULL, 16);

					c = v < 0x80 ? (char)v : '?';
				}
				p += 4;
				break;
			default:
				return NULL;
			}
		} else if ((unsigned char)c < 0x20) {
			return NULL;
		}
		if (n + 1 < cap)
			out[n++] = c;
	}
	if (*p != '"')
		return NULL;
	out[n] = '\0';
	return p + 1;
}

bool jsonl_parse(const char *line, struct jobj *o)
{
	const char *p = skip_ws(line);

	o->n = 0;
	if (*p++ != '{')
		return false;
	p = skip_ws(p);
	if (*p == '}')
		return *skip_ws(p + 1) == '\0' || *skip_ws(p + 1) == '\r' || *skip_ws(p + 1) == '\n';
	for (;;) {
		struct jfield *f;

		if (o->n == (int)(sizeof(o->f) / sizeof(o->f[0])))
			return false;
		f = &o->f[o->n];
		p = skip_ws(p);
		if (*p++ != '"' || !(p = parse_string(p, f->key, sizeof(f->key))))
			return false;
		p = skip_ws(p);
		if (*p++ != ':')
			return false;
		p = skip_ws(p);
		if (*p == '"') {
			f->type = J_STR;
			if (!(p = parse_string(p + 1, f->text, sizeof(f->text))))
				return false;
		} else {
			size_t n = strcspn(p, ",} \t\r\n");

			if (n == 0 || n >= sizeof(f->text))
				return false;
			memcpy(f->text, p, n);
			f->text[n] = '\0';
			p += n;
			if (!strcmp(f->text, "true") || !strcmp(f->text, "false"))
				f->type = J_BOOL;
			else if (!strcmp(f->text, "null"))
				f->type = J_NULL;
			else if (strspn(f->text, "-0123456789.eE+") == n)
				f->type = J_NUM;
			else
				return false;
		}
		o->n++;
		p = skip_ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p != '}')
			return false;
		p = skip_ws(p + 1);
		return *p == '\0' || *p == '\r' || *p == '\n';
	}
}

const struct jfield *jobj_get(const struct jobj *o, const char *key)
{
	if (!o)
		return NULL; /* an event a test looked for and did not find: its fields absent */
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->f[i].key, key))
			return &o->f[i];
	return NULL;
}

const char *jobj_str(const struct jobj *o, const char *key)
{
	const struct jfield *f = jobj_get(o, key);

	return f ? f->text : "";
}

uint64_t jobj_u64(const struct jobj *o, const char *key, uint64_t def)
{
	const struct jfield *f = jobj_get(o, key);

	return f && f->type == J_NUM ? strtoull(f->text, NULL, 10) : def;
}
