/*
 * Output: bh_print sends lines to the kernel (the print call, at most BH_PRINT_MAX bytes
 * each); picolibc's stdout (info) and stderr (warn) collect characters into one line
 * buffer per cell and stream and send a line at each '\n', when full, or on fflush.
 */
#include <stdio.h>
#include <string.h>
#include "bulkhead.h"
#include "syscall.h"

int bh_print(enum bh_level level, const char *s, size_t len)
{
	size_t done = 0;

	if (len == 0)
		return (int)bh_svc3(BH_SYS_PRINT, level, s, 0);
	while (done < len) {
		size_t n = len - done < BH_PRINT_MAX ? len - done : BH_PRINT_MAX;
		int64_t r = bh_svc3(BH_SYS_PRINT, level, s + done, n);

		if (r < 0)
			return (int)r;
		done += n;
	}
	return (int)len;
}

int bh_vprintf(enum bh_level level, const char *fmt, va_list ap)
{
	char buf[BH_PRINT_MAX + 1];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return -BH_E_INVAL;
	size_t len = (size_t)n < BH_PRINT_MAX ? (size_t)n : BH_PRINT_MAX; /* cut, not split */

	if (len > 0 && buf[len - 1] == '\n')
		len--;
	return bh_print(level, buf, len);
}

int bh_printf(enum bh_level level, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = bh_vprintf(level, fmt, ap);
	va_end(ap);
	return r;
}

/* One line being collected, per cell (TLS) and stream. */
struct line {
	size_t n;
	char buf[BH_PRINT_MAX];
};
static __thread struct line out_line, err_line;

static int stream_flush(FILE *f);
static int stream_put(char c, FILE *f);

static FILE out_stream = FDEV_SETUP_STREAM(stream_put, NULL, stream_flush, _FDEV_SETUP_WRITE);
static FILE err_stream = FDEV_SETUP_STREAM(stream_put, NULL, stream_flush, _FDEV_SETUP_WRITE);
FILE *const stdout = &out_stream;
FILE *const stderr = &err_stream;
FILE *const stdin = NULL; /* a partition has no input stream */

static struct line *line_of(FILE *f, enum bh_level *level)
{
	*level = f == &err_stream ? BH_LEVEL_WARN : BH_LEVEL_INFO;
	return f == &err_stream ? &err_line : &out_line;
}

static int stream_flush(FILE *f)
{
	enum bh_level level;
	struct line *l = line_of(f, &level);
	int r = 0;

	if (l->n > 0)
		r = bh_print(level, l->buf, l->n);
	l->n = 0;
	return r < 0 ? EOF : 0;
}

static int stream_put(char c, FILE *f)
{
	enum bh_level level;
	struct line *l = line_of(f, &level);

	if (c == '\n')
		return stream_flush(f) == 0 ? (unsigned char)c : EOF;
	l->buf[l->n++] = c;
	if (l->n == sizeof(l->buf))
		return stream_flush(f) == 0 ? (unsigned char)c : EOF;
	return (unsigned char)c;
}
