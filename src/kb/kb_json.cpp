#include "kb/kb_json.hpp"

#include <stdexcept>

namespace gpuenv::kb::detail {

namespace {
// get_ptr instead of get<std::string>(): the same check, without GCC's -Wnull-dereference false
// positive on the inlined conversion.
const std::string* string_at(const json& row, const char* key) {
  auto it = row.find(key);
  return it == row.end() ? nullptr : it->get_ptr<const std::string*>();
}
}  // namespace

std::string req_str(const json& row, const char* key, const std::string& where) {
  const std::string* s = string_at(row, key);
  if (!s || s->empty()) throw std::runtime_error(where + ": missing string \"" + key + "\"");
  return *s;
}

std::string opt_str(const json& row, const char* key) {
  const std::string* s = string_at(row, key);
  return s ? *s : std::string();
}

std::optional<std::string> null_str(const json& row, const char* key, const std::string& where) {
  auto it = row.find(key);
  if (it == row.end() || it->is_null()) return std::nullopt;
  const std::string* s = it->get_ptr<const std::string*>();
  if (!s || s->empty()) throw std::runtime_error(where + ": \"" + key + "\" must be a string or null");
  return *s;
}

int req_int(const json& row, const char* key, const std::string& where) {
  auto it = row.find(key);
  if (it == row.end() || !it->is_number_integer())
    throw std::runtime_error(where + ": missing integer \"" + key + "\"");
  return it->get<int>();
}

std::vector<std::string> str_list(const json& row, const char* key, const std::string& where) {
  std::vector<std::string> out;
  auto it = row.find(key);
  if (it == row.end() || it->is_null()) return out;
  if (!it->is_array()) throw std::runtime_error(where + ": \"" + key + "\" must be a list of strings");
  for (auto& x : *it) {
    const std::string* s = x.get_ptr<const std::string*>();
    if (!s) throw std::runtime_error(where + ": \"" + key + "\" must be a list of strings");
    out.push_back(*s);
  }
  return out;
}

TableSource source_from(const json& table, const std::string& name) {
  if (!table.is_object()) throw std::runtime_error("kb table " + name + ": expected an object");
  TableSource s;
  s.source = req_str(table, "source", "kb table " + name);
  s.checked = req_str(table, "checked", "kb table " + name);
  s.note = opt_str(table, "note");
  return s;
}

oj source_json(const TableSource& s) {
  oj j{{"source", s.source}, {"checked", s.checked}};
  if (!s.note.empty()) j["note"] = s.note;
  return j;
}

const json& rows_of(const json& table, const std::string& name) {
  auto it = table.find("rows");
  if (it == table.end() || !it->is_array())
    throw std::runtime_error("kb table " + name + ": missing \"rows\" array");
  return *it;
}

oj table_json(const TableSource& s, oj rows) {
  oj t = source_json(s);
  t["rows"] = std::move(rows);
  return t;
}

oj or_null(const std::optional<std::string>& v) {
  return v ? oj(*v) : oj(nullptr);
}

}  // namespace gpuenv::kb::detail
