#include "rules/readiness.hpp"

#include "facts/dotted.hpp"
#include "rules/env_common.hpp"

namespace gpuenv::rules {

namespace {

i18n::Text text(std::string id, std::vector<std::pair<std::string, std::string>> args = {}) {
  return i18n::Text{std::move(id), std::move(args)};
}

// The nvidia-* wheels a pip torch requires that are not installed beside it.
std::string missing_libs(const facts::PythonEnv& env, const facts::Package& torch) {
  std::string out;
  for (auto& req : torch.requires_dist) {
    if (!req.starts_with("nvidia-")) continue;
    auto end = req.find_first_of("=<>!~[ ;");
    std::string name = req.substr(0, end);
    if (env.packages.count(name)) continue;
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

}  // namespace

const char* readiness_name(Readiness r) {
  switch (r) {
    case Readiness::ready:
      return "ready";
    case Readiness::minor_compat:
      return "minor-compat";
    case Readiness::not_ready:
      return "not-ready";
    case Readiness::unknown:
      return "unknown";
    case Readiness::no_torch:
      return "no-torch";
  }
  return "unknown";
}

EnvReadiness env_readiness(const facts::PythonEnv& env, const facts::Machine& m,
                           const kb::KnowledgeBase* kb) {
  EnvReadiness r;
  if (auto it = env.packages.find("torch"); it != env.packages.end()) r.torch = &it->second;
  for (auto& v : env.also_visible) {
    if (v.name == "torch" && v.ahead) {  // the first copy on sys.path wins
      r.torch = &v.package;
      r.shadowing = &v;
      break;
    }
  }
  if (!r.torch) {
    r.state = Readiness::no_torch;
    r.reason = text("envs.ready.no_torch");
    return r;
  }
  const facts::Package& t = *r.torch;
  const std::string variant = t.variant.value_or("unknown");
  if (variant == "cpu") {
    r.state = Readiness::not_ready;
    r.reason = text("envs.ready.cpu_build");
    return r;
  }
  if (variant.starts_with("rocm")) {
    r.state = Readiness::not_ready;
    r.reason = text("envs.ready.rocm_build", {{"variant", variant}});
    return r;
  }
  if (variant == "xpu") {
    r.state = Readiness::not_ready;
    r.reason = text("envs.ready.xpu_build");
    return r;
  }
  if (!t.cuda) {
    r.state = Readiness::unknown;
    r.reason = text("envs.ready.unknown_build");
    return r;
  }
  const std::string& cuda = *t.cuda;
  if (t.source == "pip" && !r.shadowing) {
    if (auto missing = missing_libs(env, t); !missing.empty()) {
      r.state = Readiness::not_ready;
      r.reason = text("envs.ready.libs_missing", {{"packages", missing}});
      return r;
    }
  }
  if (m.gpus.empty()) {
    r.state = Readiness::not_ready;
    r.reason = text("envs.ready.no_gpu", {{"cuda", cuda}});
    return r;
  }
  if (!m.driver.version && !m.driver.module_loaded) {
    r.state = Readiness::not_ready;
    r.reason = text("envs.ready.no_driver", {{"cuda", cuda}});
    return r;
  }
  if (kb) {
    auto check = detail::driver_fit(m, *kb, cuda);
    const std::string max = m.driver.cuda_max.value_or("?");
    switch (check.fit) {
      case detail::DriverFit::direct:
        r.state = Readiness::ready;
        r.reason = text("envs.ready.ok", {{"cuda", cuda}});
        return r;
      case detail::DriverFit::minor:
        r.state = Readiness::minor_compat;
        r.reason = text("envs.ready.minor_compat", {{"cuda", cuda}, {"max", max}});
        return r;
      case detail::DriverFit::too_old:
        r.state = Readiness::not_ready;
        r.reason = text("envs.ready.driver_too_old", {{"cuda", cuda}, {"max", max}});
        return r;
      case detail::DriverFit::unknown:
        break;  // the tables know nothing: judge by the driver's own limit below
    }
  }
  auto need = facts::Dotted::parse(cuda);
  auto have = m.driver.cuda_max ? facts::Dotted::parse(*m.driver.cuda_max) : std::nullopt;
  if (!need || !have) {
    r.state = Readiness::unknown;
    r.reason = text("envs.ready.driver_limit_unknown", {{"cuda", cuda}});
    return r;
  }
  if (need->major() > have->major()) {
    r.state = Readiness::not_ready;
    r.reason = text("envs.ready.driver_too_old", {{"cuda", cuda}, {"max", *m.driver.cuda_max}});
  } else if (need->major() == have->major() && need->parts.size() > 1 && *need > *have) {
    r.state = Readiness::minor_compat;
    r.reason = text("envs.ready.minor_compat", {{"cuda", cuda}, {"max", *m.driver.cuda_max}});
  } else {
    r.state = Readiness::ready;
    r.reason = text("envs.ready.ok", {{"cuda", cuda}});
  }
  return r;
}

}  // namespace gpuenv::rules
