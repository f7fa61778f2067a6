#pragma once
// Reading one environment from its files: kind, Python version (and where it was read), interpreter,
// a venv's base interpreter (broken or not), site-packages, the packages that matter, .pth paths.
#include <functional>
#include <string>
#include <vector>

#include "facts/facts.hpp"
#include "probes/context.hpp"
#include "probes/python_discover.hpp"
#include "probes/python_packages.hpp"

namespace gpuenv::probes {

/// Scans a site directory once and remembers it (several environments share /usr/lib/python3/...).
using SiteScanner = std::function<const SiteScan&(const std::string& dir)>;

/// Reads the environment `c` names. Never throws; problems go to the context's warnings and to the
/// environment's own `warnings`.
facts::PythonEnv read_python_env(const ProbeContext& ctx, const EnvCandidate& c, const SiteScanner& scan);

/// The directories a system Python `xy` ("3.11") of `prefix` (/usr or /usr/local) has on sys.path for
/// packages, in sys.path order, those that exist (Debian's dist-packages, Fedora's lib64, upstream's
/// site-packages).
std::vector<std::string> system_site_dirs(const platform::FileSystem& fs, const std::string& prefix,
                                          const std::string& xy);

/// "3.11.2" → "3.11"; nullopt when there is no minor version.
std::optional<std::string> python_xy(const std::optional<std::string>& version);

}  // namespace gpuenv::probes
