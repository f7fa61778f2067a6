#pragma once
// Where the fleet's reports come from: files, directories of files, or a stream on stdin, each
// split into JSON documents. Reading goes through the platform's file system; splitting is pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "i18n/catalog.hpp"
#include "platform/fs.hpp"

namespace gpuenv::fleet {

/// One document to read as a report.
struct InputDoc {
  std::string source;               ///< "reports/n1.json", "all.jsonl:3", "stdin (gpu01)"
  std::optional<std::string> node;  ///< the node name the input itself gives (pdsh prefix)
  std::string name_hint;            ///< used when the report names no host: the file's stem
  std::string text;
};

/// An input that yields no report (unreadable file, stray line): listed, never fatal.
struct InputProblem {
  std::string source;
  i18n::Text reason;
};

struct SplitResult {
  std::vector<InputDoc> docs;
  std::vector<InputProblem> problems;
};

/// Splits one stream into documents. Accepted shapes:
///  - one JSON document, pretty-printed or not (`gpuenv doctor --json > n1.json`);
///  - JSON Lines, one document per line (`... | jq -c .`);
///  - pdsh / clush output, "NODE: TEXT" per line, reassembled per node in order of appearance:
///      gpu01: {
///      gpu02: {
///      gpu01:   "schema_version": 1,
/// A line that is none of these is a problem naming its line number.
SplitResult split_stream(std::string_view text, const std::string& source, const std::string& name_hint);

/// Reads each path (host paths, absolute) through `fs`: a file is split with split_stream; a
/// directory contributes its *.json, *.jsonl and *.ndjson files (not hidden, not recursive, sorted).
/// `shown` holds the paths as the user typed them, for messages.
SplitResult read_inputs(const platform::FileSystem& fs, const std::vector<std::string>& paths,
                        const std::vector<std::string>& shown);

/// "reports/gpu01.json" → "gpu01".
std::string file_stem(std::string_view path);

}  // namespace gpuenv::fleet
