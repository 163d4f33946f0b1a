// table_json.hpp: an embedding table written in our JSON table format
// (docs/table-format.md, docs/schemas/table.schema.json), as
// `attn-explain table extract` writes it.
//
// Promises: load_table() reads the text back to the same table: the same name,
// description, dim, words in the same order and every float32 value exactly
// (each is written as the shortest decimal that reads back to it), and the
// weights when the table has them. One vector per line, one weight row per line.
// REQUIRES: the table keeps embedding_table.hpp's promises (words valid UTF-8).
#pragma once

#include <string>

#include "attn/embedding_table.hpp"

namespace attn {

std::string table_json_text(const EmbeddingTable& table);

}  // namespace attn
