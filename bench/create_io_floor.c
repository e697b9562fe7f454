/* The I/O floor of a create: a static C program that does the file work and makes the system calls of a
 * create whose seccomp meet is remembered, and does no policy work at all. It reads the host config,
 * checks runc as hardened-runtime does, reads config.json, the profile and the remembered meet (named by
 * $HARDENED_BENCH_MEMO) and compares the meet's inputs byte for byte, readlinks the rootfs path's
 * components, writes config.json back atomically with fixed texts in place of what the rules would
 * write, writes the creation record and an audit line of a create's length, then execs runc.
 *
 * The benchmark prints it beside the real create: the difference is what parsing the spec, the rules
 * and the writer cost, and the floor itself is what any design pays on the machine at hand. Its
 * config.json is not valid JSON afterwards (the stand-in for runc never reads it). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char* read_whole(const char* path, size_t* size) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) return NULL;
  char* text = malloc((size_t)st.st_size + 1);
  const ssize_t n = read(fd, text, (size_t)st.st_size + 1);
  close(fd);
  if (text == NULL || n != st.st_size) return NULL;
  text[n] = '\0';
  *size = (size_t)n;
  return text;
}

/* The span of the value of the first member named key: enough for Docker's config.json, where the
 * members edited here occur once. */
static int member_span(const char* text, size_t size, const char* key, size_t* begin, size_t* end) {
  char quoted[64];
  const int n = snprintf(quoted, sizeof quoted, "\"%s\":", key);
  const char* at = memmem(text, size, quoted, (size_t)n);
  if (at == NULL) return 0;
  *begin = (size_t)(at - text) + (size_t)n;
  size_t depth = 0;
  int in_string = 0;
  for (size_t i = *begin; i < size; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = 0;
    } else if (c == '"') {
      in_string = 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']' || c == ',') && depth == 0) {
      *end = i;
      return 1;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      *end = i + 1;
      return 1;
    }
  }
  return 0;
}

/* "key":"value" of the flat host config. */
static char* host_setting(const char* text, const char* key) {
  char quoted[64];
  const int n = snprintf(quoted, sizeof quoted, "\"%s\":\"", key);
  const char* at = strstr(text, quoted);
  return at == NULL ? NULL : strndup(at + n, strcspn(at + n, "\""));
}

struct edit {
  size_t begin, end;
  const char* text;
  size_t length;
};

static int by_begin(const void* a, const void* b) {
  const struct edit* x = a;
  const struct edit* y = b;
  return (x->begin > y->begin) - (x->begin < y->begin);
}

int main(int argc, char** argv) {
  const char* host_config = NULL;
  const char* bundle = ".";
  char** runc_argv = calloc((size_t)argc + 1, sizeof *runc_argv);
  int runc_argc = 0;
  runc_argv[runc_argc++] = argv[0];
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
      host_config = argv[++i];
      continue;
    }
    if (strcmp(argv[i], "--bundle") == 0 && i + 1 < argc) bundle = argv[i + 1];
    runc_argv[runc_argc++] = argv[i];
  }
  const char* id = argv[argc - 1];
  const char* memo_path = getenv("HARDENED_BENCH_MEMO");
  size_t size = 0;
  char* host = host_config == NULL || memo_path == NULL ? NULL : read_whole(host_config, &size);
  if (host == NULL) return 2;
  char* runc = host_setting(host, "runtime");
  char* profiles = host_setting(host, "profiles_dir");
  char* state = host_setting(host, "state_dir");
  char* log = host_setting(host, "log_file");
  struct stat st;
  if (runc == NULL || profiles == NULL || state == NULL || log == NULL || stat(runc, &st) != 0 ||
      access(runc, X_OK) != 0 || stat("/proc/self/exe", &st) != 0)
    return 3;

  char path[4096], profile_path[4096], temporary[4096], record_path[4096];
  snprintf(path, sizeof path, "%s/config.json", bundle);
  snprintf(profile_path, sizeof profile_path, "%s/default.json", profiles);
  snprintf(temporary, sizeof temporary, "%s/.config.json.hardened-tmp", bundle);
  snprintf(record_path, sizeof record_path, "%s/%s.json", state, id);
  size_t profile_size = 0, memo_size = 0;
  char* spec = read_whole(path, &size);
  char* profile = read_whole(profile_path, &profile_size);
  char* memo = read_whole(memo_path, &memo_size);
  size_t filter_begin = 0, filter_end = 0, root_begin = 0, root_end = 0;
  if (spec == NULL || profile == NULL || memo == NULL || !member_span(spec, size, "seccomp", &filter_begin, &filter_end) ||
      !member_span(spec, size, "root", &root_begin, &root_end))
    return 4;

  /* The entry (seccomp_memo.cpp): a line naming the build, a line of lengths (texts, the container's
   * filter, the met filter, ...), then the parts. */
  char* lengths = strchr(memo, '\n');
  size_t texts = 0, text_size = 0, filter_size = 0, met_size = 0;
  if (lengths == NULL || sscanf(lengths + 1, "%zu %zu %zu %zu", &texts, &text_size, &filter_size, &met_size) != 4) return 5;
  const char* part = strchr(lengths + 1, '\n') + 1;
  /* One profile text: the shipped default profile extends none (should it, this fails and so does
   * ctest's bench.runs). */
  if (texts != 1 || text_size != profile_size || memcmp(part, profile, profile_size) != 0 ||
      filter_size != filter_end - filter_begin || memcmp(part + profile_size, spec + filter_begin, filter_size) != 0)
    return 6;
  const char* met_filter = part + profile_size + filter_size;

  /* The rootfs path resolved component by component, as the host facts do. */
  char root[4096], target[1024];
  const char* root_path = memmem(spec + root_begin, root_end - root_begin, "\"path\":\"", 8);
  if (root_path != NULL) {
    snprintf(root, sizeof root, "%.*s", (int)strcspn(root_path + 8, "\""), root_path + 8);
    for (char* slash = strchr(root + 1, '/');; slash = strchr(slash + 1, '/')) {
      if (slash != NULL) *slash = '\0';
      const int missing = readlink(root, target, sizeof target) < 0 && errno == ENOENT;
      if (slash == NULL || missing) break;
      *slash = '/';
    }
  }

  /* Fixed texts in place of the rules' (as long in all as what the create writes for the Docker
   * fixture: ~10 KB of config.json), and the remembered filter. */
  static char resources[2401], masked_paths[301];
  memset(resources, ' ', 2400);
  memset(masked_paths, ' ', 300);
  static const struct {
    const char* key;
    const char* text;
  } fixed[] = {
      {"capabilities", "{\"ambient\":[],\"bounding\":[],\"effective\":[],\"inheritable\":[],\"permitted\":[]}"},
      {"user", "{\"gid\":1001,\"uid\":1001}"},
      {"root", "{\"path\":\"/var/lib/docker/vfs/dir/213f01d82a70/rootfs\",\"readonly\":true}"},
      {"resources", resources},
      {"maskedPaths", masked_paths},
  };
  struct edit edits[6];
  size_t count = 0;
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; ++i) {
    if (!member_span(spec, size, fixed[i].key, &edits[count].begin, &edits[count].end)) return 7;
    edits[count].text = fixed[i].text;
    edits[count++].length = strlen(fixed[i].text);
  }
  edits[count++] = (struct edit){filter_begin, filter_end, met_filter, met_size};
  qsort(edits, count, sizeof edits[0], by_begin);
  char* out = malloc(size + met_size + 4096);
  size_t written = 0, at = 0;
  for (size_t i = 0; i < count; ++i) {
    memcpy(out + written, spec + at, edits[i].begin - at);
    written += edits[i].begin - at;
    memcpy(out + written, edits[i].text, edits[i].length);
    written += edits[i].length;
    at = edits[i].end;
  }
  memcpy(out + written, spec + at, size - at);
  written += size - at;

  /* config.json replaced as replace_file_atomically does it. */
  const int fd = open(bundle, O_WRONLY | O_CLOEXEC | O_TMPFILE, 0600);
  if (fd < 0 || write(fd, out, written) != (ssize_t)written || fchmod(fd, 0644) != 0) return 8;
  (void)geteuid();
  (void)getegid();
  if (fsync(fd) != 0 || linkat(fd, "", AT_FDCWD, temporary, AT_EMPTY_PATH) != 0 || rename(temporary, path) != 0) return 9;
  const int dir = open(bundle, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
  if (dir < 0 || fsync(dir) != 0) return 10;
  close(dir);
  close(fd);

  static const char record[] = "{\"mode\":\"enforce\",\"profile\":\"default\",\"selected_by\":\"the host config's default_profile\"}\n";
  int record_fd = open(record_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (record_fd < 0 && mkdir(state, 0700) == 0) record_fd = open(record_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (record_fd < 0 || write(record_fd, record, sizeof record - 1) != (ssize_t)(sizeof record - 1)) return 11;
  close(record_fd);

  /* An audit line of a create's length, its UTC time written by hand (gmtime_r would read
   * /etc/localtime): days to a civil date as in Howard Hinnant's chrono algorithms. */
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  const long days = now.tv_sec / 86400, second = now.tv_sec % 86400, z = days + 719468, era = z / 146097;
  const long day_of_era = z - era * 146097;
  const long year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const long day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const long mp = (5 * day_of_year + 2) / 153, month = mp < 10 ? mp + 3 : mp - 9;
  static char line[4096];
  int length = snprintf(line, sizeof line,
                        "{\"time\":\"%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%03ldZ\",\"event\":\"create\",\"container\":\"%s\","
                        "\"profile\":\"default\",\"mode\":\"enforce\",\"decision\":\"hardened\",\"changes\":[",
                        year_of_era + era * 400 + (month <= 2), month, day_of_year - (153 * mp + 2) / 5 + 1, second / 3600,
                        second / 60 % 60, second % 60, now.tv_nsec / 1000000, id);
  for (int i = 0; i < 14; ++i) {
    length += snprintf(line + length, sizeof line - (size_t)length, "%s{\"rule\":\"capabilities\",\"change\":\"%s\"}", i ? "," : "",
                       "process.capabilities.bounding: dropped CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID");
  }
  length += snprintf(line + length, sizeof line - (size_t)length, "]}\n");
  const int log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0 || write(log_fd, line, (size_t)length) != length) return 12;
  close(log_fd);
  execv(runc, runc_argv);
  return 13;
}
