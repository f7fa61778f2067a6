#pragma once
// Environment variables behind a seam, so tests (and `--facts` replays) choose what the rules see.
#include <map>
#include <optional>
#include <string>

namespace gpuenv::platform {

class Environment {
 public:
  virtual ~Environment() = default;
  virtual std::optional<std::string> get(const std::string& name) const = 0;
};

/// The process environment.
class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> get(const std::string& name) const override;
};

/// A fixed map (tests, replays).
class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}
  std::optional<std::string> get(const std::string& name) const override;
  void set(const std::string& k, const std::string& v) { vars_[k] = v; }

 private:
  std::map<std::string, std::string> vars_;
};

}  // namespace gpuenv::platform
