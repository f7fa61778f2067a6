#pragma once
// Private helpers shared by the kb/*.cpp table readers and writers: every malformed value throws
// std::runtime_error naming the table and row ("kb table torch row 3: missing string \"series\"").
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kb/kb.hpp"

namespace gpuenv::kb::detail {

using nlohmann::json;
using oj = nlohmann::ordered_json;

std::string req_str(const json& row, const char* key, const std::string& where);
/// A string, or "" when absent or null.
std::string opt_str(const json& row, const char* key);
/// A string, or nullopt when absent or null; throws when present with another type.
std::optional<std::string> null_str(const json& row, const char* key, const std::string& where);
int req_int(const json& row, const char* key, const std::string& where);
std::vector<std::string> str_list(const json& row, const char* key, const std::string& where);

TableSource source_from(const json& table, const std::string& name);
oj source_json(const TableSource& s);
const json& rows_of(const json& table, const std::string& name);
/// {source, checked, note, rows} in that order.
oj table_json(const TableSource& s, oj rows);
oj or_null(const std::optional<std::string>& v);

// The per-file table readers and writers (kb.cpp calls them for the whole document).
void read_cuda_tables(const json& tables, KnowledgeBase& kb);
void write_cuda_tables(const KnowledgeBase& kb, oj& tables);
void read_torch_table(const json& tables, KnowledgeBase& kb);
void write_torch_table(const KnowledgeBase& kb, oj& tables);
void read_install_tables(const json& tables, KnowledgeBase& kb);
void write_install_tables(const KnowledgeBase& kb, oj& tables);

}  // namespace gpuenv::kb::detail
