#include "embed.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "attn/util/error.hpp"
#include "attn/util/unicode.hpp"

namespace attn {

namespace {

// FNV-1a over the bytes: a fixed, portable 64-bit hash of the word.
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// splitmix64: turns the hash into a stream of well-mixed 64-bit numbers.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::vector<float> hashed_vector(std::string_view token, std::size_t dim, float lo, float hi) {
  std::uint64_t state = fnv1a(ascii_lower(token));
  std::vector<float> v(dim);
  for (float& x : v) {
    const double unit = static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;  // [0, 1)
    x = static_cast<float>(std::round((lo + unit * (hi - lo)) * 100.0) / 100.0);
  }
  return v;
}

std::vector<std::string> closest_words(const EmbeddingTable& table, std::string_view word, std::size_t count) {
  const std::string target = ascii_lower(word);
  std::vector<std::pair<std::size_t, std::string>> ranked;
  // A typo is near the start of a word: comparing the first kCompared bytes keeps
  // this quick even for a megabyte-long token or table key.
  constexpr std::size_t kCompared = 64;
  const std::string head = target.substr(0, kCompared);
  for (const std::string& w : table.words()) {
    ranked.emplace_back(edit_distance(head, ascii_lower(std::string_view(w).substr(0, kCompared))), w);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < ranked.size() && out.size() < count; ++i) out.push_back(ranked[i].second);
  return out;
}

Embedded embed(const std::vector<std::string>& tokens, const EmbeddingTable& table, OovPolicy policy) {
  Embedded result{Matrix(tokens.size(), table.dim), {}, std::vector<bool>(tokens.size(), false)};
  const float lo = table.min_value();
  const float hi = table.max_value();
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::vector<float>* found = table.find(tokens[i]);
    std::vector<float> unknown;
    if (!found) {
      result.unknown[i] = true;
      if (std::find(result.oov_tokens.begin(), result.oov_tokens.end(), tokens[i]) == result.oov_tokens.end()) {
        result.oov_tokens.push_back(tokens[i]);
      }
      unknown = policy == OovPolicy::hash ? hashed_vector(tokens[i], table.dim, lo, hi)
                                          : std::vector<float>(table.dim, 0.0f);
      found = &unknown;
    }
    for (std::size_t d = 0; d < table.dim; ++d) result.inputs(i, d) = (*found)[d];
  }
  if (policy == OovPolicy::error && !result.oov_tokens.empty()) {
    // Words are cut to 20 columns and at most 8 are named: the message stays a line.
    constexpr std::size_t kNamed = 8, kColumns = 20;
    std::vector<std::string> quoted;
    for (std::size_t i = 0; i < result.oov_tokens.size() && i < kNamed; ++i) {
      quoted.push_back(fmt::format("\"{}\"", elide(result.oov_tokens[i], kColumns)));
    }
    if (result.oov_tokens.size() > kNamed) quoted.push_back(fmt::format("and {} more", result.oov_tokens.size() - kNamed));
    std::string hint;
    for (std::size_t i = 0; i < result.oov_tokens.size() && i < 2; ++i) {  // a hint is a line or two
      const std::string& t = result.oov_tokens[i];
      std::vector<std::string> close;
      for (const std::string& w : closest_words(table, t, 3)) close.push_back(elide(w, kColumns));
      if (!hint.empty()) hint += "\n";
      hint += fmt::format("did you mean, for \"{}\": {}?", elide(t, kColumns), fmt::join(close, ", "));
    }
    throw DataError(fmt::format("{}: not in the table: {}", table.source, fmt::join(quoted, ", ")), hint);
  }
  return result;
}

}  // namespace attn
