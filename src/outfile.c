/* outfile: a file written whole or not at all (see outfile.h). */
#include "config.h"
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *path)
{
	memset(o, 0, sizeof *o);
	o->path = path;
	struct stat st;
	int fd;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY | O_CLOEXEC);	/* a device or a pipe */
	} else {
		/* through a symbolic link: the file it names is replaced */
		char *real = realpath(path, NULL);
		if (real)
			o->path = o->real = real;
		size_t n = strlen(o->path) + sizeof ".tmpXXXXXX";
		o->tmp = malloc(n);
		if (!o->tmp)
			abort();
		snprintf(o->tmp, n, "%s.tmpXXXXXX", o->path);
		fd = mkostemp(o->tmp, O_CLOEXEC);	/* mode 0600 */
	}
	if (fd >= 0 && (o->f = fdopen(fd, "w")) != NULL)
		return 0;
	int e = errno;
	if (fd >= 0) {
		close(fd);
		if (o->tmp)
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->real);
	o->tmp = o->real = NULL;
	errno = e;
	return -1;
}

const char *outfile_name(const struct outfile *o)
{
	return o->tmp ? o->tmp : o->path;
}

void outfile_close_stream(struct outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
}

int outfile_commit(struct outfile *o)
{
	int e = 0;
	if (o->f) {
		if (fflush(o->f) != 0 || ferror(o->f))
			e = errno ? errno : EIO;
		if (!e && o->tmp && fsync(fileno(o->f)) != 0)
			e = errno;
		if (fclose(o->f) != 0 && !e)
			e = errno;
		o->f = NULL;
	}
	if (!e && o->tmp && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e && o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->real);
	o->tmp = o->real = NULL;
	errno = e;
	return e ? -1 : 0;
}

void outfile_abort(struct outfile *o)
{
	outfile_close_stream(o);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->real);
	o->tmp = o->real = NULL;
}
