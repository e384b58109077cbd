/*
 * Device-tree errors: a code (what kind of problem) and a diagnosis (where, and
 * what was expected). Bad device trees are bad input, never a crash: every reader
 * in dt/ returns one of these.
 */
#ifndef BULKHEAD_DT_DT_ERROR_H
#define BULKHEAD_DT_DT_ERROR_H

#include "core/lib/compiler.h"
#include "core/lib/strbuf.h"

enum dt_err {
	DT_OK = 0,
	DT_ERR_NO_BLOB,     /* no device tree at all (NULL, or not mapped) */
	DT_ERR_HEADER,      /* bad magic, version or sizes in the header */
	DT_ERR_TRUNCATED,   /* header says more bytes than there are */
	DT_ERR_STRUCTURE,   /* libfdt's full check failed (corrupt blob) */
	DT_ERR_MISSING_NODE,
	DT_ERR_MISSING_PROP,
	DT_ERR_BAD_PROP,    /* present but malformed (length, value) */
	DT_ERR_BAD_REG,     /* reg/ranges malformed, zero size, wraps, untranslatable */
	DT_ERR_TOO_MANY,    /* more entries than Bulkhead keeps */
	DT_ERR_UNSUPPORTED, /* well-formed, but something Bulkhead does not do */
	DT_ERR_COUNT,
};

const char *dt_strerror(enum dt_err err);

struct dt_diag {
	enum dt_err err;
	char path[96]; /* node the problem is at ("" if none) */
	char what[160]; /* what was expected and what was found */
};

/*
 * One line for people: "<path>: <what> (<strerror>)". Writes into sb.
 */
void dt_diag_format(const struct dt_diag *d, struct strbuf *sb);

#endif
