/* A static probe run inside test containers: tries operations a hardened container must not be able
 * to do and prints one line per attempt, "<name> <errno>" ("<name> 0" when it succeeded), so the test
 * compares the live kernel's answer with what the profile promises. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif

static void report(const char* name, long rc) { printf("%s %d\n", name, rc < 0 ? errno : 0); }

/* Runs `attempt` in a child and reports its errno (0: it succeeded): for attempts that change the
 * calling process for good, such as PTRACE_TRACEME (a traced probe would stop at its next signal). */
static void report_in_child(const char* name, long (*attempt)(void)) {
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) _exit(attempt() < 0 ? errno : 0);
  int status = 0;
  waitpid(child, &status, 0);
  printf("%s %d\n", name, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static long traceme(void) { return ptrace(PTRACE_TRACEME, 0, NULL, NULL); }

/* getpid through the 32-bit x86 ABI (int $0x80, syscall 20), in a child: a filter without that ABI
 * kills it. Prints "int80_getpid 0" when the call ran, "int80_getpid sig<N>" when the child was killed. */
static void probe_32bit_abi(void) {
#if defined(__x86_64__)
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    long rc = 20;
    __asm__ volatile("int $0x80" : "+a"(rc) : : "memory");
    _exit(rc > 0 ? 0 : 1);
  }
  int status = 0;
  waitpid(child, &status, 0);
  if (WIFSIGNALED(status)) printf("int80_getpid sig%d\n", WTERMSIG(status));
  else printf("int80_getpid %d\n", WEXITSTATUS(status));
#endif
}

int main(void) {
  char params[128] = {0};
  report("io_uring_setup", syscall(SYS_io_uring_setup, 1, params));
  char clone_args[88] = {0};
  report("clone3", syscall(SYS_clone3, clone_args, sizeof clone_args));
  report("unshare_user", unshare(CLONE_NEWUSER));
  report("unshare_net", unshare(CLONE_NEWNET));
  report("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
  report("keyctl", syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "x"));
  report("bpf", syscall(SYS_bpf, 0, NULL, 0));
  report("userfaultfd", syscall(SYS_userfaultfd, 0));
  report("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
  report_in_child("ptrace_traceme", traceme);
  report("socket_af_alg", socket(38, SOCK_SEQPACKET, 0));
  report("socket_af_vsock", socket(40, SOCK_STREAM, 0));
  report("chroot", chroot("/tmp"));
  report("setuid_0", setuid(0));
  report("memfd_create", syscall(SYS_memfd_create, "x", 0));
  probe_32bit_abi();
  fflush(stdout);
  return 0;
}
