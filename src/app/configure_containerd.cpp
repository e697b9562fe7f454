// hardened-runtime configure containerd: the CRI runtime handler in containerd's config.toml (a
// Kubernetes RuntimeClass names it), a hardened-runtime-<profile> link for --profile, and with
// --lockdown the containerd.service drop-in that closes the runc side door. The edit itself is pure
// (src/config/containerd_config.cpp); this is the shell around it: files, links, messages.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <functional>

#include "hardened/containerd_config.hpp"
#include "hardened/json_file.hpp"
#include "hardened/profile.hpp"
#include "hardened/tools.hpp"

namespace hardened {
namespace {

constexpr const char* kHelp =
    "usage: hardened-runtime configure containerd [--handler NAME] [--profile PROFILE] [--remove] [--lockdown]\n"
    "                                             [--config-file FILE] [--binary PATH] [--dropin-dir DIR]\n"
    "                                             [--lockdown-dir DIR] [--node-root DIR]\n"
    "Adds a CRI runtime handler to containerd's config.toml (default /etc/containerd/config.toml), keeping\n"
    "every other setting: runtime_type io.containerd.runc.v2, BinaryName this binary, pod and container\n"
    "annotations org.hardened-runtime.* passed through, SystemdCgroup as the runc handler has it.\n"
    "  --handler NAME   the handler a RuntimeClass names (default: hardened)\n"
    "  --profile P      the handler selects profile P: BinaryName is a link hardened-runtime-P next to this\n"
    "                   binary (made if missing), since BinaryName takes no arguments\n"
    "  --binary PATH    the path containerd runs (default: this binary; the node installer, which sees the\n"
    "                   node's root under another directory, names the node's own path)\n"
    "  --node-root DIR  where the node's / is (the installer's hostPath): links and the drop-in are made\n"
    "                   under it, while the paths written into the files stay the node's own\n"
    "  --remove         take the handler (and with --lockdown the drop-in) out again\n"
    "  --lockdown       also write DIR/hardened-runtime-lockdown.conf (default DIR\n"
    "                   /etc/systemd/system/containerd.service.d): PATH starts with the lockdown directory,\n"
    "                   whose runc is hardened-runtime, so runc started without BinaryName is hardened too\n"
    "The old file is kept as FILE.bak; the new one is written atomically. Running it twice changes nothing.\n"
    "containerd reads config.toml only when it starts: apply with systemctl restart containerd.\n";

void out(const std::string& line) { std::fputs((line + "\n").c_str(), stdout); }
int error(const std::string& message) { return std::fprintf(stderr, "hardened-runtime configure: %s\n", message.c_str()), 1; }

std::string dirname_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == 0 ? "/" : slash == std::string::npos ? "." : path.substr(0, slash);
}

// A symlink at `link` to `target`: made when absent, kept when it already points there, an error when
// something else is in the way (never replaced: it may be the administrator's).
Result<bool> ensure_link(const std::string& link, const std::string& target, const std::string& also_fine = "") {
  char buffer[PATH_MAX];
  const ssize_t n = ::readlink(link.c_str(), buffer, sizeof buffer - 1);
  if (n >= 0) {
    const std::string points_to(buffer, static_cast<std::size_t>(n));
    if (points_to == target || (!also_fine.empty() && points_to == also_fine)) return false;
    return fail(link + " already exists and points elsewhere; remove it or choose another name");
  }
  struct stat st {};
  if (::lstat(link.c_str(), &st) == 0) return fail(link + " already exists and is not a link; remove it or choose another name");
  if (::symlink(target.c_str(), link.c_str()) != 0) return fail("cannot make the link " + link + ": " + std::strerror(errno));
  return true;
}

Result<void> ensure_directory(const std::string& dir) {
  if (dir.empty() || dir == "/" || dir == ".") return {};
  if (auto ok = ensure_directory(dirname_of(dir)); !ok) return ok;
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return fail("cannot make " + dir + ": " + std::strerror(errno));
  return {};
}

// Writes `text` to `file` atomically, keeping FILE.bak of an existing one; says nothing when equal.
Result<bool> write_with_backup(const std::string& file, const std::string& text) {
  JsonFile like{json(), "", 0644, ::geteuid(), ::getegid()};
  struct stat st {};
  const bool exists = ::stat(file.c_str(), &st) == 0;
  if (exists) {
    auto current = read_text_file(file);
    if (!current) return tl::unexpected(current.error());
    if (*current == text) return false;
    like = JsonFile{json(), *current, st.st_mode & 07777, st.st_uid, st.st_gid};
    if (auto ok = replace_file_atomically(file + ".bak", *current, like); !ok) return fail("cannot keep a backup: " + ok.error().message);
  } else if (auto ok = ensure_directory(dirname_of(file)); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = replace_file_atomically(file, text, like); !ok) return tl::unexpected(ok.error());
  return true;
}

// This binary's absolute path: --binary, else /proc/self/exe.
Result<std::string> this_binary(const std::optional<std::string>& option) {
  if (option) return *option;
  char self[PATH_MAX];
  if (::realpath("/proc/self/exe", self) == nullptr) return fail(std::string("cannot find this binary's path: ") + std::strerror(errno));
  return std::string(self);
}

// The config file's text; "" when it does not exist yet (the registration makes it).
Result<std::string> existing_text(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::string();
  return read_text_file(file);
}

// The binary a registration names: this one, or for --profile P the link hardened-runtime-P beside
// it (the engines pass a runtime no arguments, so the link's name selects the profile).
std::string named_binary(const std::string& binary, const std::optional<std::string>& profile) {
  return profile ? dirname_of(binary) + "/hardened-runtime-" + *profile : binary;
}

struct RegistrationWritten {
  ContainerdEdit edit;
  bool existed = false;  // the file was there before (FILE.bak keeps it)
};

// What registering in containerd's and podman's files share, in the order that never leaves a file
// naming a missing binary: read the file, apply the pure edit, make the profile's link (under
// node_root, relative so it works wherever the node's root is seen from; none when removing), then
// replace the file atomically, keeping FILE.bak. An unchanged edit writes nothing.
Result<RegistrationWritten> write_registration(const std::string& file, const std::string& node_root, const std::string& binary,
                                               const std::optional<std::string>& link_profile,
                                               const std::function<Result<ContainerdEdit>(std::string_view)>& apply) {
  const auto text = existing_text(file);
  if (!text) return fail(text.error().message + "; the file was left as it is");
  auto edit = apply(*text);
  if (!edit) return fail(edit.error().message + "; the file was left as it is");
  if (link_profile) {
    const std::string link = named_binary(binary, link_profile);
    auto made = ensure_link(node_root + link, binary.substr(binary.rfind('/') + 1), binary);
    if (!made) return fail(made.error().message + "; " + file + " was left as it is");
    if (*made) out("made the link " + link + " -> " + binary + " (it selects profile '" + *link_profile + "')");
  }
  if (edit->changed) {
    if (auto written = write_with_backup(file, edit->text); !written) return tl::unexpected(written.error());
  }
  return RegistrationWritten{std::move(*edit), !text->empty()};
}

}  // namespace

std::string default_lockdown_dir(const std::string& binary) {
  return dirname_of(dirname_of(binary)) + "/lib/hardened-runtime/lockdown";  // /usr/local/bin -> /usr/local/lib
}

Result<bool> apply_lockdown(const std::string& node_root, const std::string& lockdown_dir, const std::string& binary,
                            const std::vector<std::string>& dropin_dirs, bool remove) {
  bool changed = false;
  for (const auto& dropin_dir : dropin_dirs) {
    const std::string dropin = node_root + dropin_dir + "/hardened-runtime-lockdown.conf";
    if (remove) {
      if (::unlink(dropin.c_str()) == 0) {
        changed = true;
        out("removed " + dropin);
      }
      continue;
    }
    if (auto ok = ensure_directory(node_root + lockdown_dir); !ok) return tl::unexpected(ok.error());
    auto link = ensure_link(node_root + lockdown_dir + "/runc", binary);
    if (!link) return tl::unexpected(link.error());
    auto written = write_with_backup(dropin, lockdown_dropin(lockdown_dir));
    if (!written) return tl::unexpected(written.error());
    if (*written) {
      changed = true;
      out("wrote " + dropin + ": the service's PATH starts with " + lockdown_dir + ", whose runc is hardened-runtime");
    }
  }
  return changed;
}

int configure_containerd(const std::vector<std::string>& argv) {
  ContainerdRegistration registration;
  std::string file = "/etc/containerd/config.toml";
  std::string dropin_dir = "/etc/systemd/system/containerd.service.d";
  std::optional<std::string> profile, lockdown_dir, binary_option;
  std::string node_root;
  bool lockdown = false;
  for (std::size_t i = 3; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h") return std::fputs(kHelp, stdout), 0;
    if (argv[i] == "--remove") {
      registration.remove = true;
    } else if (argv[i] == "--lockdown") {
      lockdown = true;
    } else if (auto name = tool_option(argv, i, "--handler")) {
      if (name->empty() || name->find_first_of(" \t\n\"'.[]=") != std::string::npos) {
        return std::fprintf(stderr, "hardened-runtime configure: '%s' is not a valid handler name\n", name->c_str()), 2;
      }
      registration.handler = *name;
    } else if (auto p = tool_option(argv, i, "--profile")) {
      if (!is_valid_profile_name(*p)) return std::fprintf(stderr, "hardened-runtime configure: '%s' is not a valid profile name\n", p->c_str()), 2;
      profile = p;
    } else if (auto path = tool_option(argv, i, "--config-file")) {
      file = *path;
    } else if (auto b = tool_option(argv, i, "--binary")) {
      if (!b->starts_with("/")) return std::fprintf(stderr, "hardened-runtime configure: --binary must be an absolute path\n"), 2;
      binary_option = b;
    } else if (auto r = tool_option(argv, i, "--node-root")) {
      node_root = *r == "/" ? "" : *r;
    } else if (auto dir = tool_option(argv, i, "--dropin-dir")) {
      dropin_dir = *dir;
    } else if (auto dir2 = tool_option(argv, i, "--lockdown-dir")) {
      lockdown_dir = *dir2;
    } else {
      std::fprintf(stderr, "hardened-runtime configure: unknown argument '%s'\n%s", argv[i].c_str(), kHelp);
      return 2;
    }
  }
  const auto found = this_binary(binary_option);
  if (!found) return error(found.error().message);
  const std::string& binary = *found;
  registration.binary = named_binary(binary, profile);
  const auto written = write_registration(file, node_root, binary, registration.remove ? std::nullopt : profile,
                                          [&](std::string_view text) { return apply_containerd_registration(text, file, registration); });
  if (!written) return error(written.error().message);
  const ContainerdEdit& edit = written->edit;
  bool changed = edit.changed;
  if (edit.changed) {
    out(std::string(registration.remove ? "removed handler '" : "added handler '") + registration.handler + "' (" + edit.table + ") in " +
        file + (written->existed ? " (previous version: " + file + ".bak)" : ""));
  } else {
    out(file + " already says so; nothing changed");
  }
  for (const auto& note : edit.notes) out("note: " + note);
  if (lockdown) {
    const std::string dir = lockdown_dir.value_or(default_lockdown_dir(binary));
    auto done = apply_lockdown(node_root, dir, binary, {dropin_dir}, registration.remove);
    if (!done) return error(done.error().message);
    changed = changed || *done;
  }
  if (changed) {
    out("apply it: systemctl daemon-reload && systemctl restart containerd   (containerd reads config.toml and its PATH only");
    out("when it starts, a SIGHUP does not reload them; running containers keep their shims and are not restarted)");
    if (!registration.remove) {
      out("then a RuntimeClass with handler: " + registration.handler + " (deploy/kubernetes/runtimeclass.yaml) lets pods choose it");
    }
  }
  return 0;
}

namespace {

constexpr const char* kPodmanHelp =
    "usage: hardened-runtime configure podman [--name NAME] [--profile PROFILE] [--default] [--remove]\n"
    "                                         [--config-file FILE] [--binary PATH]\n"
    "Adds a named OCI runtime to podman's containers.conf (default /etc/containers/containers.conf),\n"
    "keeping every other setting: [engine.runtimes] NAME = [\"<this binary>\"]; `podman --runtime NAME`\n"
    "then runs containers through hardened-runtime.\n"
    "  --name NAME      the runtime's name (default: hardened)\n"
    "  --profile P      the runtime selects profile P: its path is a link hardened-runtime-P next to this\n"
    "                   binary (made if missing), since podman passes the runtime no arguments or environment\n"
    "  --default        also set [engine] runtime = \"NAME\": every podman run is hardened\n"
    "  --binary PATH    the path podman runs (default: this binary)\n"
    "  --remove         take the runtime out again (and [engine] runtime when it names it)\n"
    "The old file is kept as FILE.bak; the new one is written atomically. Running it twice changes nothing.\n"
    "Nothing to restart: each podman command reads containers.conf when it starts.\n";

}  // namespace

int configure_podman(const std::vector<std::string>& argv) {
  PodmanRegistration registration;
  std::string file = "/etc/containers/containers.conf";
  std::optional<std::string> profile, binary_option;
  for (std::size_t i = 3; i < argv.size(); ++i) {
    if (argv[i] == "--help" || argv[i] == "-h") return std::fputs(kPodmanHelp, stdout), 0;
    if (argv[i] == "--remove") {
      registration.remove = true;
    } else if (argv[i] == "--default") {
      registration.make_default = true;
    } else if (auto name = tool_option(argv, i, "--name")) {
      if (name->empty() || name->find_first_of(" \t\n\"'.[]=/") != std::string::npos) {
        return std::fprintf(stderr, "hardened-runtime configure: '%s' is not a valid runtime name\n", name->c_str()), 2;
      }
      registration.name = *name;
    } else if (auto p = tool_option(argv, i, "--profile")) {
      if (!is_valid_profile_name(*p)) return std::fprintf(stderr, "hardened-runtime configure: '%s' is not a valid profile name\n", p->c_str()), 2;
      profile = p;
    } else if (auto path = tool_option(argv, i, "--config-file")) {
      file = *path;
    } else if (auto b = tool_option(argv, i, "--binary")) {
      if (!b->starts_with("/")) return std::fprintf(stderr, "hardened-runtime configure: --binary must be an absolute path\n"), 2;
      binary_option = b;
    } else {
      std::fprintf(stderr, "hardened-runtime configure: unknown argument '%s'\n%s", argv[i].c_str(), kPodmanHelp);
      return 2;
    }
  }
  const auto found = this_binary(binary_option);
  if (!found) return error(found.error().message);
  const std::string& binary = *found;
  registration.binary = named_binary(binary, profile);
  const auto written = write_registration(file, "", binary, registration.remove ? std::nullopt : profile,
                                          [&](std::string_view text) { return apply_podman_registration(text, file, registration); });
  if (!written) return error(written.error().message);
  const ContainerdEdit& edit = written->edit;
  if (edit.changed) {
    out(std::string(registration.remove ? "removed runtime '" : "added runtime '") + registration.name + "' (" + edit.table + ") in " +
        file + (written->existed ? " (previous version: " + file + ".bak)" : ""));
    if (!registration.remove) {
      out("nothing to restart: new podman commands read it; use it with podman --runtime " + registration.name + " run ..." +
          (registration.make_default ? " (or plainly podman run: it is the default runtime now)" : ""));
    }
  } else {
    out(file + " already says so; nothing changed");
  }
  for (const auto& note : edit.notes) out("note: " + note);
  return 0;
}

}  // namespace hardened
