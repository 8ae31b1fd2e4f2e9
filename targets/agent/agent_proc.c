/* The agent's process: start, watch, stop; see agent_int.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "targets/agent/agent_int.h"

#define STACK_SIZE (256u << 10)

extern char **environ;

/* What the child needs, prepared before clone() (the child may only make
 * system calls: the parent has other threads). */
struct child_args {
	int ctl, out, null;
	int exec_fd; /* closed by a successful exec; gets errno otherwise */
	char *argv[4];
	char **envp;
};

static int child_main(void *arg)
{
	struct child_args *a = arg;
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL); /* the thread that started it ended */
	if (dup2(a->null, 0) < 0 || dup2(a->out, 1) < 0 || dup2(a->out, 2) < 0 ||
	    dup2(a->ctl, 3) < 0)
		_exit(127);
	if (dup2(a->exec_fd, 4) < 0)
		_exit(127);
	close_range(5, ~0u, 0); /* nothing else of tcpcheck's (other agents' sockets) */
	(void)fcntl(4, F_SETFD, FD_CLOEXEC);
	execve("/bin/sh", a->argv, a->envp);
	{
		int e = errno;
		if (write(4, &e, sizeof e) < 0)
			_exit(126);
	}
	_exit(127);
}

/* `cmd` with "{dev}" replaced; malloc'd. */
static char *expand(const char *cmd, const char *dev)
{
	size_t n = strlen(cmd) + 1, dl = strlen(dev);
	const char *p;
	char *out, *o;
	for (p = strstr(cmd, "{dev}"); p; p = strstr(p + 5, "{dev}"))
		n += dl;
	out = malloc(n);
	if (!out)
		return NULL;
	for (o = out; *cmd;) {
		if (strncmp(cmd, "{dev}", 5) == 0) {
			memcpy(o, dev, dl);
			o += dl;
			cmd += 5;
		} else {
			*o++ = *cmd++;
		}
	}
	*o = '\0';
	return out;
}

/* environ plus our two variables; the strings are borrowed or in `own`. */
static char **make_env(const char *dev, char own[2][64])
{
	size_t n = 0, i, k = 0;
	char **env;
	while (environ && environ[n])
		n++;
	env = calloc(n + 3, sizeof *env);
	if (!env)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "TCPCHECK_AGENT_FD=", 18) != 0 &&
		    strncmp(environ[i], "TCPCHECK_TAP=", 13) != 0)
			env[k++] = environ[i];
	snprintf(own[0], 64, "TCPCHECK_AGENT_FD=3");
	snprintf(own[1], 64, "TCPCHECK_TAP=%s", dev);
	env[k++] = own[0];
	env[k++] = own[1];
	return env;
}

/* Descriptors above 3, so that the child's dup2() never overwrites one
 * it still needs. */
static int high_fd(int fd)
{
	int h;
	if (fd < 0 || fd > 9)
		return fd;
	h = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return h;
}

/* Held while this process creates a descriptor another process must not
 * keep (the TAP the agent attaches to by name: a copy in a child that has
 * not exec'd yet makes the agent's TUNSETIFF fail with EBUSY), and while a
 * child exists that has not exec'd yet. */
static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;

void ag_proc_lock(void)
{
	pthread_mutex_lock(&fd_lock);
}

void ag_proc_unlock(void)
{
	pthread_mutex_unlock(&fd_lock);
}

/* Wait until the child has exec'd (the pipe's write end closes): 0, or the
 * exec's errno. */
static int wait_exec(int rd)
{
	int e = 0;
	ssize_t n;
	while ((n = read(rd, &e, sizeof e)) < 0 && errno == EINTR) {
	}
	return n == (ssize_t)sizeof e ? e : 0;
}

static int spawn(struct ag_proc *p, struct child_args *a, char *why, size_t cap)
{
	char *stack = malloc(STACK_SIZE);
	int ex[2], e;
	pid_t pid;
	if (!stack)
		return -ENOMEM;
	if (pipe2(ex, O_CLOEXEC) != 0) {
		free(stack);
		return -errno;
	}
	a->exec_fd = ex[1];
	ag_proc_lock();
	/* CLONE_NEWPID: the agent is the first process of its own PID
	 * namespace; when it dies, whatever it started dies too. */
	pid = clone(child_main, stack + STACK_SIZE, CLONE_NEWPID | SIGCHLD, a);
	e = errno;
	close(ex[1]);
	if (pid > 0)
		e = wait_exec(ex[0]);
	ag_proc_unlock();
	close(ex[0]);
	free(stack); /* the child has its own copy of the memory */
	if (pid < 0) {
		snprintf(why, cap, "cannot start the agent (clone): %s", strerror(e));
		return -e;
	}
	p->pid = pid;
	if (e != 0) {
		snprintf(why, cap, "cannot run /bin/sh for the agent: %s", strerror(e));
		ag_proc_stop(p);
		return -e;
	}
	return 0;
}

int ag_proc_start(struct ag_proc *p, const char *cmd, const char *dev, char *why, size_t cap)
{
	struct child_args a;
	int sv[2] = {-1, -1}, pipefd[2] = {-1, -1}, rc = 0;
	char own[2][64];
	memset(p, 0, sizeof *p);
	p->pid = -1;
	p->ctl = p->out = -1;
	memset(&a, 0, sizeof a);
	a.argv[0] = "sh";
	a.argv[1] = "-c";
	a.argv[2] = expand(cmd, dev);
	a.envp = make_env(dev, own);
	a.null = high_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 ||
	    pipe2(pipefd, O_CLOEXEC) != 0)
		rc = -errno;
	a.ctl = sv[1] = high_fd(sv[1]);
	a.out = pipefd[1] = high_fd(pipefd[1]);
	if (rc == 0 && (!a.argv[2] || !a.envp || a.null < 0 || a.ctl < 0 || a.out < 0))
		rc = -ENOMEM;
	if (rc != 0)
		snprintf(why, cap, "cannot prepare the agent: %s", strerror(-rc));
	else
		rc = spawn(p, &a, why, cap);
	if (rc == 0) {
		p->ctl = sv[0];
		p->out = pipefd[0];
		fcntl(p->out, F_SETFL, O_NONBLOCK);
	} else {
		if (sv[0] >= 0)
			close(sv[0]);
		if (pipefd[0] >= 0)
			close(pipefd[0]);
	}
	if (sv[1] >= 0)
		close(sv[1]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (a.null >= 0)
		close(a.null);
	free(a.argv[2]);
	free(a.envp);
	return rc;
}

bool ag_proc_drain(struct ag_proc *p)
{
	char buf[1024];
	for (;;) {
		ssize_t n = p->out >= 0 ? read(p->out, buf, sizeof buf) : 0;
		if (n <= 0)
			return n == 0 || (errno != EAGAIN && errno != EINTR);
		if (p->tail_len + (size_t)n > AG_TAIL) {
			size_t drop = p->tail_len + (size_t)n - AG_TAIL;
			memmove(p->tail, p->tail + drop, p->tail_len - drop);
			p->tail_len -= drop;
		}
		memcpy(p->tail + p->tail_len, buf, (size_t)n);
		p->tail_len += (size_t)n;
	}
}

void ag_proc_end(struct ag_proc *p, int wait_ms, char *buf, size_t cap)
{
	struct timespec pause = {0, 1000000};
	int i;
	for (i = 0; !p->reaped && p->pid > 0 && i <= wait_ms; i++) {
		if (waitpid(p->pid, &p->status, WNOHANG) == p->pid)
			p->reaped = true;
		else if (i < wait_ms)
			nanosleep(&pause, NULL);
	}
	if (!p->reaped)
		snprintf(buf, cap, "is still running");
	else if (WIFEXITED(p->status))
		snprintf(buf, cap, "exited with status %d", WEXITSTATUS(p->status));
	else if (WIFSIGNALED(p->status))
		snprintf(buf, cap, "was killed by signal %d (%s)", WTERMSIG(p->status),
			 strsignal(WTERMSIG(p->status)));
	else
		snprintf(buf, cap, "ended");
}

void ag_proc_last_lines(const struct ag_proc *p, size_t n, char *buf, size_t cap)
{
	size_t end = p->tail_len, start, lines = 0, k = 0;
	while (end > 0 && (p->tail[end - 1] == '\n' || p->tail[end - 1] == '\r'))
		end--;
	start = end;
	while (start > 0 && lines < n) {
		start--;
		if (p->tail[start] == '\n' && ++lines == n) {
			start++;
			break;
		}
	}
	buf[0] = '\0';
	for (; start < end && k + 4 < cap; start++) {
		char c = p->tail[start];
		if (c == '\n') {
			k += (size_t)snprintf(buf + k, cap - k, " | ");
			continue;
		}
		buf[k++] = (c >= 32 && c < 127) ? c : '?';
		buf[k] = '\0';
	}
}

void ag_proc_stop(struct ag_proc *p)
{
	if (p->pid > 0 && !p->reaped) {
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, &p->status, 0) < 0 && errno == EINTR) {
		}
		p->reaped = true;
	}
	if (p->ctl >= 0)
		close(p->ctl);
	if (p->out >= 0)
		close(p->out);
	p->ctl = p->out = -1;
}
