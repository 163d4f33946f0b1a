// Helpers shared by the library tests: reading test data files.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace attn::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_file(path)); }

inline std::string test_data(const std::string& name) { return std::string(ATTN_TEST_DATA_DIR) + "/" + name; }
inline std::string bundled(const std::string& name) { return std::string(ATTN_DATA_DIR) + "/" + name; }

}  // namespace attn::test
