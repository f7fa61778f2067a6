#include "probes/conda_parse.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "probes/python_parse.hpp"

namespace gpuenv::probes::py {

std::optional<CondaRecordName> parse_conda_meta_filename(std::string_view filename) {
  if (!filename.ends_with(".json")) return std::nullopt;
  filename.remove_suffix(5);
  auto d2 = filename.rfind('-');
  if (d2 == std::string_view::npos || d2 == 0) return std::nullopt;
  auto d1 = filename.rfind('-', d2 - 1);
  if (d1 == std::string_view::npos || d1 == 0) return std::nullopt;
  CondaRecordName r{std::string(filename.substr(0, d1)), std::string(filename.substr(d1 + 1, d2 - d1 - 1)),
                    std::string(filename.substr(d2 + 1))};
  if (r.version.empty() || r.build.empty()) return std::nullopt;
  return r;
}

namespace {

// Collects a few top-level string fields, then stops: conda-meta records can be megabytes long because
// of their "files" and "paths_data" lists, which come after the fields we need (keys are sorted).
class CondaSax {
 public:
  using json = nlohmann::json;
  CondaRecord rec;
  bool object = false;

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const json::string_t&) { return value(); }
  bool binary(json::binary_t&) { return value(); }
  bool string(json::string_t& s) {
    if (depth_ == 1) {
      if (key_ == "name") rec.name = s;
      if (key_ == "version") rec.version = s;
      if (key_ == "build") rec.build = s;
      if (key_ == "channel") rec.channel = s;
      if (key_ == "subdir") rec.subdir = s;
    }
    return value();
  }
  bool start_object(std::size_t) {
    if (depth_ == 0) object = true;
    ++depth_;
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) {
    ++depth_;
    return depth_ > 1;  // a top-level array is not a record
  }
  bool end_array() {
    --depth_;
    return true;
  }
  bool key(json::string_t& k) {
    if (depth_ == 1) {
      key_ = k;
      if (k == "files" || k == "paths_data") return false;  // everything we need comes before
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  bool value() { return true; }
  int depth_ = 0;
  std::string key_;
};

}  // namespace

std::optional<CondaRecord> parse_conda_record(std::string_view text) {
  CondaSax sax;
  nlohmann::json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json, false);
  if (!sax.object) return std::nullopt;
  return sax.rec;
}

std::string conda_channel_name(std::string_view channel) {
  channel = trim(channel);
  while (channel.ends_with('/')) channel.remove_suffix(1);
  auto scheme = channel.find("://");
  if (scheme == std::string_view::npos) return std::string(channel);
  std::string_view path = channel.substr(scheme + 3);
  auto slash = path.find('/');
  path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  // Drop a trailing platform directory ("linux-64", "noarch").
  auto last = path.rfind('/');
  if (last != std::string_view::npos) {
    auto tail = path.substr(last + 1);
    if (tail == "noarch" || tail.find('-') != std::string_view::npos) path = path.substr(0, last);
  }
  return std::string(path.empty() ? channel : path);
}

std::vector<std::string> parse_environments_txt(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    auto line = trim(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
    bool control =
        std::any_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    if (!line.empty() && line.front() == '/' && !control) out.emplace_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

}  // namespace gpuenv::probes::py
