// The installer tables: how to install a driver branch per OS, and uv's --torch-backend names.
#include "kb/kb.hpp"
#include "kb/kb_json.hpp"

namespace gpuenv::kb::detail {

void read_install_tables(const json& tables, KnowledgeBase& kb) {
  if (auto it = tables.find("driver_install"); it != tables.end()) {
    kb.driver_install_source = source_from(*it, "driver_install");
    int i = 0;
    for (auto& r : rows_of(*it, "driver_install")) {
      std::string where = "kb table driver_install row " + std::to_string(i++);
      DriverInstall d;
      d.os = req_str(r, "os", where);
      d.ids = str_list(r, "ids", where);
      d.versions = str_list(r, "versions", where);
      d.flavor = req_str(r, "flavor", where);
      d.commands = str_list(r, "commands", where);
      d.message = req_str(r, "message", where);
      kb.driver_install.push_back(std::move(d));
    }
  }
  if (auto it = tables.find("uv_torch_backends"); it != tables.end()) {
    kb.uv_torch_backends_source = source_from(*it, "uv_torch_backends");
    int i = 0;
    for (auto& r : rows_of(*it, "uv_torch_backends"))
      kb.uv_torch_backends.push_back(
          req_str(r, "name", "kb table uv_torch_backends row " + std::to_string(i++)));
  }
}

void write_install_tables(const KnowledgeBase& kb, oj& tables) {
  oj rows = oj::array();
  for (auto& d : kb.driver_install) {
    oj r{{"os", d.os}, {"ids", d.ids}};
    if (!d.versions.empty()) r["versions"] = d.versions;
    r["flavor"] = d.flavor;
    r["commands"] = d.commands;
    r["message"] = d.message;
    rows.push_back(std::move(r));
  }
  oj uv = oj::array();
  for (auto& n : kb.uv_torch_backends) uv.push_back({{"name", n}});
  tables["driver_install"] = table_json(kb.driver_install_source, std::move(rows));
  tables["uv_torch_backends"] = table_json(kb.uv_torch_backends_source, std::move(uv));
}

}  // namespace gpuenv::kb::detail
