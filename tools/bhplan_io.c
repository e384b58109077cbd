/* bhplan: inputs. A .dts goes through dtc into a temporary file first. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bhplan.h"

extern char **environ;

static int read_file(const char *path, struct blob *out)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "bhplan: %s: cannot read: %s\n", path,
			f ? "not a regular file" : strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	out->size = (size_t)st.st_size;
	out->data = malloc(out->size ? out->size : 1);
	if (!out->data || fread(out->data, 1, out->size, f) != out->size) {
		fprintf(stderr, "bhplan: %s: cannot read: %s\n", path, strerror(errno));
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* dtc FILE -> tmp; its messages go to our stderr, prefixed. */
static int run_dtc(const char *src, const char *dst)
{
	const char *argv[] = { "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dst, src, NULL };
	int fds[2], status;
	pid_t pid;
	posix_spawn_file_actions_t fa;
	char buf[4096];
	size_t len = 0;
	ssize_t got;

	if (pipe(fds) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	int rc = posix_spawnp(&pid, "dtc", &fa, NULL, (char *const *)argv, environ);

	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		fprintf(stderr, "bhplan: cannot run dtc (apt-get install device-tree-compiler): %s\n",
			strerror(rc));
		close(fds[0]);
		return -1;
	}
	while ((got = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)got;
	buf[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bhplan: %s: dtc could not compile it:\n%s", src, buf);
		return -1;
	}
	return 0;
}

int load_blob(const char *path, struct blob *out)
{
	size_t n = strlen(path);
	char tmp[] = "/tmp/bhplan.XXXXXX";
	int fd, rc;

	if (n < 4 || strcmp(path + n - 4, ".dts"))
		return read_file(path, out);
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "bhplan: %s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "bhplan: cannot make a temporary file: %s\n", strerror(errno));
		return -1;
	}
	close(fd);
	rc = run_dtc(path, tmp);
	if (rc == 0)
		rc = read_file(tmp, out);
	unlink(tmp);
	return rc;
}
