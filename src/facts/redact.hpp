#pragma once
// Privacy (issue 11): user names, home paths, the host name and GPU UUIDs/serials replaced in any
// text gpuenv writes with --redact, and always in `capture`. Pure string work.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "facts/facts.hpp"

namespace gpuenv::facts {

class Redactor {
 public:
  /// `users` are replaced by user1, user2, … (in the order given; "root" is never a secret);
  /// `host` by "host"; `secrets` (serials, anything else) by "redacted".
  Redactor(std::vector<std::string> users, std::optional<std::string> host,
           std::vector<std::string> secrets = {});

  /// The text with every user name (in /home/NAME paths, NAME@, and as a whole word when at least
  /// three characters long), the host name (whole word) and every GPU-/MIG- UUID replaced.
  std::string apply(std::string_view text) const;
  const std::vector<std::string>& users() const { return users_; }

 private:
  std::vector<std::string> users_;
  std::optional<std::string> host_;
  std::vector<std::string> secrets_;
};

/// The redactor for a machine: users from /home/NAME paths of its environments and kernels, from the
/// given extra names ($USER, $HOME's last component), and the host name and GPU serials.
Redactor redactor_for(const Machine& m, const std::vector<std::string>& extra_users);

/// Replaces GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (and MIG-…) UUIDs by numbered zero UUIDs.
std::string redact_uuids(std::string_view text);

}  // namespace gpuenv::facts
