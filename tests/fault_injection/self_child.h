/* For the fault-injection tests whose cases run in a child process that starts spanlog
 * afresh: the program runs itself again (fork, then exec of its own path with
 * "--child MODE ARG"), so the child is a new process, not a copy of a parent with
 * threads and fork handlers behind it (the sanitizers' runtimes do not support forking a
 * process that holds them). The child writes its records to `out` (SPANLOG_OUTPUT), its
 * stderr to `err` (if not NULL), dumps no core, and is killed by SIGALRM after 60 s. */
#ifndef SELF_CHILD_H
#define SELF_CHILD_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Whether argv asks for a child: then *mode and *arg are its words. */
static inline int self_child_args(int argc, char **argv, const char **mode, const char **arg) {
  if (argc != 4 || strcmp(argv[1], "--child") != 0) return 0;
  *mode = argv[2];
  *arg = argv[3];
  return 1;
}

/* Starts the child; its pid, or -1. */
static inline pid_t self_child_start(const char *mode, const char *arg, const char *out, const char *err) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid != 0) return pid;
  if (err) {
    int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, 2) < 0) _exit(126);
  }
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core); /* the crashes of some cases leave no core file */
  setenv("SPANLOG_OUTPUT", out, 1);
  alarm(60); /* a hang kills the child, and the parent sees it */
  /* The program's path, read rather than exec'd through the link: under valgrind the
     link is valgrind's own program, whose readlink is answered with the test's path. */
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) _exit(127);
  self[n] = 0;
  execl(self, "child", "--child", mode, arg, (char *)NULL);
  _exit(127);
}

#endif
