/* The floor of the benchmark: a static C program that does nothing but exec the stand-in named by
 * $RUNC_STANDIN. Any wrapper costs at least this one extra exec. */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  (void)argc;
  const char* standin = getenv("RUNC_STANDIN");
  if (standin == NULL) return 127;
  execv(standin, argv);
  return 126;
}
