// The bad-input catalogue: files (missing, unreadable, empty, garbage, malformed
// JSON) and tables (wrong types and lengths, duplicates, numbers beyond float32,
// weights of the wrong shape). The runner is tests/bad_input_test.cpp.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalogue.hpp"

namespace attn::bad_input {

void add_file_cases(std::vector<Case>& c) {
  auto table = [&](std::string name, std::string file, std::string content, std::vector<std::string> says,
                   std::string defect = "") {
    c.push_back(table_case(std::move(name), std::move(file), std::move(content), std::move(says), std::move(defect)));
  };

  // -- files: missing, unreadable, a directory, empty, garbage
  c.push_back(with_json({"missing_file", "-e missing.json hi", 1, {"missing.json: no such file"}, ""}));
  c.push_back(with_json({"missing_folder_in_path", "-e no/such/dir/t.json hi", 1, {"no/such/dir/t.json: no such file"}, ""}));
  // Reading /proc/self/mem at offset 0 fails with EIO: a file that opens but cannot be
  // read, even as root (permissions do not bind root; see UnreadableByPermissions).
  c.push_back(with_json({"unreadable_file_read_fails", "-e /proc/self/mem hi", 1,
                         {"/proc/self/mem: cannot read: Input/output error"}, ""}));
  // Larger than any table: refused at 64 MiB instead of read until memory runs out.
  // Not .json and not JSON text: read as a word-vector file (issue 16), whose lines are at most 16 MiB.
  c.push_back(with_json({"endless_device_as_table", "-e /dev/zero hi", 1, {"/dev/zero: line 1: longer than 16 MiB"}, ""}));
  {
    Case k = with_json({"directory_as_table", "-e adir hi", 1, {"adir: is a directory"}, ""});
    k.files = {{"adir/.keep", ""}};
    c.push_back(k);
  }
  table("empty_file", "empty.json", "", {"empty.json: the file is empty"});
  table("blank_file", "blank.json", " \n\t\r\n", {"blank.json: the file is empty"});
  // Not .json and not JSON text: read as a word-vector file (issue 16), whose words are UTF-8.
  table("binary_garbage", "garbage.png", garbage(), {"garbage.png: line 1: the word \"\\x89PNG"});
  table("binary_garbage_json", "garbage.json", garbage(), {"garbage.json:1:1: malformed JSON"});
  table("nul_after_the_table", "nul.json", std::string(kTable) + std::string("\0 and more", 10),
        {"nul.json:1:55: a NUL byte: binary data, not JSON text"});

  // -- malformed JSON: the message gives line:column
  table("malformed_json_trailing_comma", "comma.json", "{\"dim\": 2,\n \"vectors\": {\"hi\": [1, 2],}}",
        {"comma.json:2:27: malformed JSON"});
  table("malformed_json_cut_short", "short.json", "{\"dim\": 2,\n \"vectors\": {\"hi\": [1, 2",
        {"short.json:2:25: malformed JSON", "unexpected end of input"});
  table("malformed_json_megabyte_string", "long.json", "{\"dim\": 2, \"vectors\": {\"" + std::string(1000000, 'a'),
        {"long.json:1:", "malformed JSON"});
  table("deep_nesting_300000_brackets", "deep.json", std::string(300000, '['), {"deep.json: nesting deeper than 16 levels"});
  {  // 100,000 objects side by side: read in linear time, refused within the 20 s timeout (issue 23)
    std::string wide = R"({"dim": 2, "vectors": {"hi": [1, 2]}, "extra": {"k0": {})";
    for (int i = 1; i < 100000; ++i) wide += fmt::format(R"(, "k{}": {{}})", i);
    table("objects_side_by_side_100000", "wide.json", wide + "}}", {"wide.json: unknown key \"extra\""});
  }
  table("deep_nesting_inside_a_vector", "deep2.json",
        "{\"dim\": 2, \"vectors\": {\"hi\": " + std::string(300000, '[') + std::string(300000, ']') + "}}",
        {"deep2.json: nesting deeper than 16 levels"});
}

void add_table_cases(std::vector<Case>& c) {
  auto table = [&](std::string name, std::string file, std::string content, std::vector<std::string> says,
                   std::string defect = "") {
    c.push_back(table_case(std::move(name), std::move(file), std::move(content), std::move(says), std::move(defect)));
  };

  // -- wrong types
  table("wrong_type_top_level_array", "array.json", "[1, 2]", {"array.json: the table is an array, expected a JSON object"});
  table("wrong_type_dim_string", "dim.json", R"({"dim": "2", "vectors": {"hi": [1, 2]}})",
        {"dim.json: \"dim\" is \"2\", expected a whole number from 1 to 4096"});
  table("wrong_type_dim_zero", "dim0.json", R"({"dim": 0, "vectors": {"hi": []}})",
        {"dim0.json: \"dim\" is 0, expected a whole number from 1 to 4096"});
  table("wrong_type_vectors_array", "vecs.json", R"({"dim": 2, "vectors": [[1, 2]]})",
        {"vecs.json: \"vectors\" is an array, expected an object"});
  table("wrong_type_vector_object", "vobj.json", R"({"dim": 2, "vectors": {"hi": {"a": 1}}})",
        {"vobj.json: the vector of \"hi\" is an object, expected an array of 2 numbers"});
  table("wrong_type_value_string", "vstr.json", R"({"dim": 2, "vectors": {"hi": [1, "2"]}})",
        {"vstr.json: value 1 of \"hi\" is a string, expected a number"});
  table("wrong_type_value_null", "vnull.json", R"({"dim": 2, "vectors": {"hi": [null, 2]}})",
        {"vnull.json: value 0 of \"hi\" is null, expected a number"});
  table("missing_dim", "nodim.json", R"({"vectors": {"hi": [1, 2]}})", {"nodim.json: missing \"dim\""});
  table("empty_vectors", "novecs.json", R"({"dim": 2, "vectors": {}})", {"novecs.json: \"vectors\" is empty"});
  table("unknown_top_level_key", "key.json", R"({"dim": 2, "vectors": {"hi": [1, 2]}, "vector": {}})",
        {"key.json: unknown key \"vector\""});
  table("dimension_names_too_few", "dn.json", R"({"dim": 2, "dimensions": ["a"], "vectors": {"hi": [1, 2]}})",
        {"dn.json: \"dimensions\" is an array of 1, expected an array of 2 names"});
  table("dimension_name_with_a_space", "dns.json", R"({"dim": 2, "dimensions": ["a b", "c"], "vectors": {"hi": [1, 2]}})",
        {"dns.json: \"dimensions\" item 0 is not a name"});
  table("dimension_names_not_an_array", "dno.json", R"({"dim": 2, "dimensions": "ab", "vectors": {"hi": [1, 2]}})",
        {"dno.json: \"dimensions\" is a string, expected an array of 2 names"});
  table("token_with_a_space", "space.json", R"({"dim": 2, "vectors": {"hi there": [1, 2]}})",
        {"space.json: token \"hi there\" contains white space"});

  // -- a vector of the wrong length: the token and both lengths
  table("vector_too_short", "short_vec.json", R"({"dim": 3, "vectors": {"hi": [1, 2, 3], "dog": [1, 2]}})",
        {"short_vec.json: the vector of \"dog\" has 2 values, expected 3"});
  table("vector_too_long", "long_vec.json", R"({"dim": 2, "vectors": {"cat": [1, 2, 3]}})",
        {"long_vec.json: the vector of \"cat\" has 3 values, expected 2"});

  // -- duplicates
  table("duplicate_token", "dup.json", R"({"dim": 2, "vectors": {"hi": [1, 2], "hi": [3, 4]}})",
        {"dup.json: duplicate token \"hi\" in \"vectors\""});
  table("duplicate_top_level_key", "dupkey.json", "{\"dim\": 2,\n \"dim\": 2, \"vectors\": {\"hi\": [1, 2]}}",
        {"dupkey.json: duplicate key \"dim\""});

  // -- numbers beyond float range, NaN and Infinity
  table("number_1e400", "e400.json", "{\"dim\": 2,\n \"vectors\": {\"hi\": [1e400, 2]}}",
        {"e400.json:2:21: number 1e400 is beyond the float32 range"});
  table("number_minus_1e400", "me400.json", "{\"dim\": 2,\n \"vectors\": {\"hi\": [1, -1e400]}}",
        {"me400.json:2:24: number -1e400 is beyond the float32 range"});
  table("number_1e39_beyond_float32", "e39.json", R"({"dim": 2, "vectors": {"hi": [1e39, 2]}})",
        {"e39.json: value 0 of \"hi\" is 1e+39, beyond the float32 range"});
  table("number_1e400_position_after_same_text", "e400b.json",
        "{\"dim\": 2, \"vectors\": {\"1e400\": [1, 2]},\n \"name\": 1e400}", {"e400b.json:2:10: number 1e400"});
  table("nan_literal", "nan.json", "{\"dim\": 2,\n \"vectors\": {\"hi\": [NaN, 2]}}", {"nan.json:2:21: malformed JSON"});
  table("infinity_literal", "inf.json", "{\"dim\": 2,\n \"vectors\": {\"hi\": [Infinity, 2]}}",
        {"inf.json:2:21: malformed JSON"});
  table("minus_infinity_literal", "ninf.json", "{\"dim\": 2,\n \"vectors\": {\"hi\": [-Infinity, 2]}}",
        {"ninf.json:2:22: malformed JSON"});

  // -- weights of the wrong shape, for --projection table
  auto weights = [&](std::string name, std::string file, std::string w, std::vector<std::string> says) {
    Case k = with_json({name, fmt::format("-p table -e '{}' hi there", file), 1, std::move(says), ""});
    k.files = {{file, weighted(w)}};
    c.push_back(std::move(k));
  };
  weights("weights_too_few_rows", "rows.json", fmt::format(R"({{"W_query": [[1, 0]], "W_key": {0}, "W_value": {0}}})", kI),
          {"rows.json: \"weights\".\"W_query\" has 1 rows, expected 2"});
  weights("weights_ragged_rows", "ragged.json",
          fmt::format(R"({{"W_query": {0}, "W_key": [[1, 0], [1]], "W_value": {0}}})", kI),
          {"ragged.json: \"weights\".\"W_key\" row 1 has 1 columns, row 0 has 2"});
  weights("weights_widths_disagree", "widths.json",
          fmt::format(R"({{"W_query": {0}, "W_key": {0}, "W_value": [[1, 0, 0], [0, 1, 0]]}})", kI),
          {"widths.json: W_query, W_key and W_value have 2, 2 and 3 columns"});
  weights("weights_missing_matrix", "missing_w.json", fmt::format(R"({{"W_query": {0}, "W_key": {0}}})", kI),
          {"missing_w.json: \"weights\" has no \"W_value\""});
  weights("weights_wrong_type", "wtype.json", fmt::format(R"({{"W_query": "identity", "W_key": {0}, "W_value": {0}}})", kI),
          {"wtype.json: \"weights\".\"W_query\" is a string, expected an array of 2 rows"});
  weights("weights_value_1e39", "wbig.json", fmt::format(R"({{"W_query": [[1, 0], [0, 1e39]], "W_key": {0}, "W_value": {0}}})", kI),
          {"wbig.json:", "\"W_query\" row 1 column 1 is 1e+39, beyond the float32 range"});
  {
    Case k = with_json({"projection_table_without_weights", "-p table -e plain.json hi", 2,
                        {"--projection table: plain.json has no \"weights\""}, ""});
    k.files = {{"plain.json", kTable}};
    c.push_back(k);
  }
}

}  // namespace attn::bad_input
