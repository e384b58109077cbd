#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "qemu.h"

extern char **environ;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void parse_lines(struct qemu_run *r)
{
	char *save = NULL, *copy = strdup(r->output);

	r->events = calloc(RUN_MAX_LINES, sizeof(*r->events));
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		l[strcspn(l, "\r")] = '\0';
		if (!*l)
			continue;
		r->n_lines++;
		if (r->n_events < RUN_MAX_LINES && jsonl_parse(l, &r->events[r->n_events]))
			r->n_events++;
		else
			r->n_other++;
	}
	free(copy);
}

int file_count(const char *path, const char *text)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, text) != NULL;
	fclose(f);
	return n;
}

int file_count_after(const char *path, const char *marker, const char *text)
{
	FILE *f = fopen(path, "r");
	char line[512];
	bool after = false;
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (after)
			n += strstr(line, text) != NULL;
		else
			after = strstr(line, marker) != NULL;
	}
	fclose(f);
	return after ? n : -1;
}

static bool until_met(const struct run_until *u, const char *output)
{
	if (u->text && strstr(output, u->text))
		return true;
	return u->trace_file && u->trace_text &&
	       file_count(u->trace_file, u->trace_text) >= u->trace_count;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 65536);
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, 65535, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

void run_capture_until(const char *const *argv, int timeout_s, bool merge_stderr,
		       const struct run_until *u, struct qemu_run *r)
{
	int pipefd[2], status = 0;
	pid_t pid;
	posix_spawn_file_actions_t fa;
	size_t len = 0, cap = 65536;
	double deadline = now_s() + (timeout_s ? timeout_s : RUN_TIMEOUT_S);
	char errpath[128];

	memset(r, 0, sizeof(*r));
	/* stderr kept apart (QEMU's warnings are not the kernel's lines), shown by run_dump. */
	snprintf(errpath, sizeof(errpath), BH_BUILD "/test/stderr-%d.log", (int)getpid());
	cr_assert_eq(pipe(pipefd), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	if (merge_stderr)
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	/* Its own process group: a stop kills what it started too (make -> QEMU, xen-run -> QEMU). */
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	int rc = posix_spawnp(&pid, argv[0], &fa, &at, (char *const *)argv, environ);
	cr_assert_eq(rc, 0, "cannot start %s: %s", argv[0], strerror(rc));
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(pipefd[1]);

	r->output = malloc(cap);
	r->output[0] = '\0';
	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		double left = deadline - now_s();

		if (u && !r->until_seen && until_met(u, r->output)) {
			r->until_seen = true;
			deadline = now_s() + u->linger_s;
			continue;
		}
		if (left <= 0) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
			break;
		}
		/* Wake at least every 100 ms to look at the trace file. */
		if (poll(&p, 1, u && u->trace_file ? 100 : (int)(left * 1000) + 1) <= 0)
			continue;
		if (len + 4096 > cap)
			r->output = realloc(r->output, cap *= 2);
		ssize_t got = read(pipefd[0], r->output + len, cap - len - 1);
		if (got <= 0)
			break;
		len += (size_t)got;
		r->output[len] = '\0';
	}
	r->output[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	r->exit_status = r->timed_out ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (!merge_stderr) {
		r->errors = slurp(errpath);
		unlink(errpath);
	}
	parse_lines(r);
}

void run_capture(const char *const *argv, int timeout_s, bool merge_stderr, struct qemu_run *r)
{
	run_capture_until(argv, timeout_s, merge_stderr, NULL, r);
}

void qemu_boot(const struct qemu_opts *o, struct qemu_run *r)
{
	char machine[128], smp[16], mem[16];
	const char *argv[40];
	int n = 0;

	memset(r, 0, sizeof(*r));
	snprintf(machine, sizeof(machine), "virt,gic-version=%d,virtualization=%s", o->gic ? o->gic : 3,
		 o->el2 ? "on" : "off");
	snprintf(smp, sizeof(smp), "%d", o->smp ? o->smp : 1);
	snprintf(mem, sizeof(mem), "%dM", o->mem_mb ? o->mem_mb : 512);
	/* Serial on stdout, nothing else attached; -no-reboot so a reset ends the run. */
	static const char *const fixed[] = {
		"qemu-system-aarch64", "-display", "none", "-monitor", "none",
		"-serial", "stdio", "-net", "none", "-no-reboot", "-kernel", BH_IMAGE,
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[n++] = fixed[i];
	argv[n++] = "-m";
	argv[n++] = mem;
	argv[n++] = "-M";
	argv[n++] = machine;
	argv[n++] = "-cpu";
	argv[n++] = o->cpu && o->cpu[0] ? o->cpu : "cortex-a57";
	argv[n++] = "-smp";
	argv[n++] = smp;
	if (o->append) {
		argv[n++] = "-append";
		argv[n++] = o->append;
	}
	if (o->dtb) {
		argv[n++] = "-dtb";
		argv[n++] = o->dtb;
	}
	if (o->initrd) {
		argv[n++] = "-initrd";
		argv[n++] = o->initrd;
	}
	/* Virtual time counts instructions; an idle machine jumps to its next deadline. Under
	 * -icount QEMU runs the CPUs one after the other on one thread and one clock; in real
	 * time each CPU gets its own host thread (multi-threaded TCG, asked for explicitly), so
	 * CPUs run side by side as on hardware (docs/building.md, "Two CPUs under -icount"). */
	if (!o->real_time) {
		argv[n++] = "-icount";
		argv[n++] = "shift=0,align=off,sleep=off";
	} else {
		argv[n++] = "-accel";
		argv[n++] = "tcg,thread=multi";
	}
	if (o->rtc) {
		argv[n++] = "-rtc";
		argv[n++] = o->rtc;
	}
	if (o->trace) {
		argv[n++] = "-d";
		argv[n++] = "int";
		argv[n++] = "-D";
		argv[n++] = o->trace;
	}
	argv[n] = NULL;

	struct run_until u = { .text = o->until, .trace_file = o->trace, .trace_text = o->trace_until,
			       .trace_count = o->trace_count, .linger_s = o->linger_s };
	run_capture_until(argv, o->timeout_s, false, o->until || o->trace_until ? &u : NULL, r);
}

void xen_boot(const struct xen_opts *o, struct qemu_run *r)
{
	char vcpus[16], timeout[16];
	const char *argv[40];
	int n = 0;

	memset(r, 0, sizeof(*r));
	snprintf(vcpus, sizeof(vcpus), "%d", o->vcpus ? o->vcpus : 2);
	/* The runner's own bound is the real one; ours is a backstop 30 s later. Xen runs in
	 * real time (it does not boot under -icount): bounds are generous for a loaded host
	 * (a 3 s guest run has taken over 60 s there, Xen's boot under TCG included). */
	int bound_s = o->timeout_s ? o->timeout_s : 120;

	snprintf(timeout, sizeof(timeout), "%d", bound_s);
	static const char *const fixed[] = { "tools/xen-run", "--image", BH_IMAGE, "--gic", "3" };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[n++] = fixed[i];
	argv[n++] = "--vcpus";
	argv[n++] = vcpus;
	argv[n++] = "--timeout";
	argv[n++] = timeout;
	argv[n++] = "--bootargs";
	argv[n++] = o->bootargs ? o->bootargs : "";
	if (!o->no_passthrough) {
		static const char *const pt[] = { "--passthrough", "pl031", "--passthrough", "pl061" };
		for (size_t i = 0; i < sizeof(pt) / sizeof(pt[0]); i++)
			argv[n++] = pt[i];
	}
	if (!o->no_plan) {
		argv[n++] = "--initrd";
		argv[n++] = o->initrd ? o->initrd : BH_PLANS "/demo-xen.dtb";
	}
	char mem[16];
	if (o->mem_mb) {
		snprintf(mem, sizeof(mem), "%d", o->mem_mb);
		argv[n++] = "--mem-mb";
		argv[n++] = mem;
	}
	if (o->linger_s) {
		static char linger[16];
		snprintf(linger, sizeof(linger), "%d", o->linger_s);
		argv[n++] = "--linger";
		argv[n++] = linger;
	}
	argv[n] = NULL;
	/* The guest's lines (stdout) are the output; the runner's own go to r->errors. The
	 * backstop comes after the runner's own bound (and its linger), so a run that does
	 * not end is the runner's to report (its "timeout" line on stderr), never a silent kill. */
	run_capture(argv, bound_s + o->linger_s + 30, false, r);
}

void assert_rtc_plausible(const struct jobj *t, long long before)
{
	cr_assert_not_null(t, "no test_rtc event");
	cr_assert_str_eq(jobj_str(t, "lvl"), "info", "%s", jobj_str(t, "error"));
	long long epoch = atoll(jobj_str(t, "epoch_s"));
	long long after = (long long)time(NULL);

	cr_assert(epoch >= before - 60 && epoch <= after + 60, "RTC says %lld, host says %lld..%lld",
		  epoch, before, after);
}

void assert_sha256_of(const char *hex, const char *path)
{
	const char *argv[] = { "sha256sum", path, NULL };
	struct qemu_run r;

	run_capture(argv, 10, false, &r);
	cr_assert_eq(r.exit_status, 0, "sha256sum %s failed", path);
	cr_assert_eq(strlen(hex), 64, "not a SHA-256: '%s'", hex);
	cr_assert(!strncmp(r.output, hex, 64), "%s: kernel says %s, sha256sum says %.64s", path, hex,
		  r.output);
	free(r.output);
}

void run_dump(const struct qemu_run *r)
{
	cr_log_info("output (%d lines, exit %d%s):\n%s%s%s", r->n_lines, r->exit_status,
		    r->timed_out ? ", stopped by the test" : "", r->output,
		    r->errors && r->errors[0] ? "\nstderr:\n" : "", r->errors ? r->errors : "");
}

void qemu_run_free(struct qemu_run *r)
{
	free(r->output);
	free(r->events);
	free(r->errors);
}

int run_count(const struct qemu_run *r, const char *ev)
{
	int c = 0;

	for (int i = 0; i < r->n_events; i++)
		c += !strcmp(jobj_str(&r->events[i], "ev"), ev);
	return c;
}

int run_count_of(const struct qemu_run *r, const char *ev, const char *part)
{
	int c = 0;

	for (int i = 0; i < r->n_events; i++) {
		const char *p = jobj_str(&r->events[i], "partition");

		c += !strcmp(jobj_str(&r->events[i], "ev"), ev) && p && !strcmp(p, part);
	}
	return c;
}

void test_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("[NOTE] ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int run_lines_lost(const struct qemu_run *r)
{
	return run_count(r, "log_dropped") + r->n_other;
}

const struct jobj *run_find(const struct qemu_run *r, const char *ev, int nth)
{
	for (int i = 0; i < r->n_events; i++)
		if (!strcmp(jobj_str(&r->events[i], "ev"), ev) && nth-- == 0)
			return &r->events[i];
	return NULL;
}
