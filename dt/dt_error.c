#include "dt/dt_error.h"

static const char *const dt_err_names[DT_ERR_COUNT] = {
	[DT_OK] = "ok",
	[DT_ERR_NO_BLOB] = "no device tree",
	[DT_ERR_HEADER] = "bad device-tree header",
	[DT_ERR_TRUNCATED] = "device tree truncated",
	[DT_ERR_STRUCTURE] = "corrupt device-tree structure",
	[DT_ERR_MISSING_NODE] = "required node missing",
	[DT_ERR_MISSING_PROP] = "required property missing",
	[DT_ERR_BAD_PROP] = "malformed property",
	[DT_ERR_BAD_REG] = "malformed address range",
	[DT_ERR_TOO_MANY] = "too many entries",
	[DT_ERR_UNSUPPORTED] = "unsupported",
};

const char *dt_strerror(enum dt_err err)
{
	return (unsigned int)err < DT_ERR_COUNT ? dt_err_names[err] : "unknown error";
}

void dt_diag_format(const struct dt_diag *d, struct strbuf *sb)
{
	sb_puts(sb, d->path[0] ? d->path : "(device tree)");
	sb_puts(sb, ": ");
	sb_puts(sb, d->what);
	sb_puts(sb, " (");
	sb_puts(sb, dt_strerror(d->err));
	sb_putc(sb, ')');
}
