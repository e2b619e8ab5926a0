/*
 * The recording shim of the shell differential test (shell-sandbox.test-support.ts).
 * One binary, hard-linked under every command name the grammar uses. It appends one
 * record per execution to $GATEHOUSE_SHIM_LOG (or to the orphans log baked in at build
 * time), in a single write(2) on an O_APPEND file so that concurrent records never mix:
 *
 *   <count> NUL <kind> NUL <name> NUL <argv[1]> NUL ... <argv[count-1]> NUL
 *
 * <name> is the basename of the path the kernel executed (AT_EXECFN), not argv[0], so
 * `exec -a other git` is still recorded as git. <kind> tells the checker what the shim
 * did next:
 *   inert    recorded and exited 0 (git, rm, curl, ...);
 *   real     recorded and ran the real program, whose behaviour matters (echo, cat, ...);
 *   runner   recorded and ran a command (env, xargs, bash, sudo, ssh host cmd, ...),
 *            whose own execution is recorded in turn.
 * Real programs are found as symlinks in <shim dir>/.real/<name>; runners are the names
 * listed in <shim dir>/.runners/ (empty marker files). sudo, ssh, docker exec and kubectl
 * exec are emulated: they run their command here instead of elsewhere.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#ifndef ORPHANS
#error "build with -DORPHANS='\"/path/to/orphans.log\"'"
#endif

static char record[1 << 20];
static size_t used;

static int append(const char *word) {
  size_t length = strlen(word) + 1;
  if (used + length > sizeof record) return -1;
  memcpy(record + used, word, length);
  used += length;
  return 0;
}

static int write_record(const char *kind, const char *name, int argc, char **argv) {
  char count[16];
  snprintf(count, sizeof count, "%d", argc < 1 ? 1 : argc);
  if (append(count) || append(kind) || append(name)) return -1;
  for (int i = 1; i < argc; i++)
    if (append(argv[i])) return -1;
  const char *log = getenv("GATEHOUSE_SHIM_LOG");
  int fd = open(log == NULL || log[0] == '\0' ? ORPHANS : log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  ssize_t written = write(fd, record, used);
  close(fd);
  return written == (ssize_t)used ? 0 : -1;
}

static int marked(const char *dir, int dir_length, const char *folder, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%.*s/%s/%s", dir_length, dir, folder, name);
  return access(path, F_OK) == 0;
}

/* Index of the first word after options; `with_value` lists short options that take one. */
static int skip_options(int argc, char **argv, int from, const char *with_value) {
  int i = from;
  while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
    if (strcmp(argv[i], "--") == 0) return i + 1;
    if (argv[i][1] != '-' && argv[i][2] == '\0' && strchr(with_value, argv[i][1]) != NULL) i++;
    i++;
  }
  return i;
}

int main(int argc, char **argv) {
  const char *exe = (const char *)getauxval(AT_EXECFN);
  if (exe == NULL) exe = argv[0];
  const char *slash = strrchr(exe, '/');
  const char *name = slash == NULL ? exe : slash + 1;
  int dir_length = slash == NULL ? 1 : (int)(slash - exe);
  const char *dir = slash == NULL ? "." : exe;

  if (strcmp(name, "sudo") == 0) {
    if (write_record("runner", name, argc, argv)) return 125;
    int i = skip_options(argc, argv, 1, "ugCDhpRrTtU");
    for (; i < argc && strchr(argv[i], '=') != NULL && argv[i][0] != '='; i++) putenv(argv[i]);
    if (i >= argc) return 0;
    execvp(argv[i], argv + i);
    return 127;
  }
  if (strcmp(name, "ssh") == 0) {
    int i = skip_options(argc, argv, 1, "BbcDEeFIiJLlmOopQRSWw");
    if (i + 1 >= argc) return write_record("inert", name, argc, argv) ? 125 : 0;
    if (write_record("runner", name, argc, argv)) return 125;
    /* The remote side joins the words with spaces and hands them to the user's shell. */
    static char script[1 << 16];
    size_t length = 0;
    for (int j = i + 1; j < argc; j++) {
      size_t word = strlen(argv[j]);
      if (length + word + 2 > sizeof script) return 125;
      if (length > 0) script[length++] = ' ';
      memcpy(script + length, argv[j], word);
      length += word;
    }
    script[length] = '\0';
    char *shell[] = {"sh", "-c", script, NULL};
    execvp("sh", shell);
    return 127;
  }
  if ((strcmp(name, "docker") == 0 || strcmp(name, "kubectl") == 0) && argc > 2 &&
      strcmp(argv[1], "exec") == 0) {
    int i;
    if (strcmp(name, "docker") == 0) {
      i = skip_options(argc, argv, 2, "eurwU") + 1; /* options, then the container */
    } else {
      for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++) continue;
      i++;
    }
    if (i >= argc) return write_record("inert", name, argc, argv) ? 125 : 0;
    if (write_record("runner", name, argc, argv)) return 125;
    execvp(argv[i], argv + i);
    return 127;
  }

  int real = marked(dir, dir_length, ".real", name);
  int runner = marked(dir, dir_length, ".runners", name);
  if (write_record(runner ? "runner" : real ? "real" : "inert", name, argc, argv)) return 125;
  if (!real) return 0;
  char path[4096];
  snprintf(path, sizeof path, "%.*s/.real/%s", dir_length, dir, name);
  execv(path, argv);
  return 126;
}
