#include "wanted_words.hpp"

namespace attn {

WantedWords::WantedWords(const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (w.empty() || !exact_.insert(w).second) continue;
    words_.push_back(w);
    folded_.insert(ascii_lower(w));
    if (w.size() < 64) {
      lengths_ |= std::uint64_t{1} << w.size();
    } else {
      long_words_ = true;
    }
  }
  missing_ = words_.size();
}

bool WantedWords::wants_slow(std::string_view word) {
  if (exact_.find(word) != exact_.end()) return kept_exact_.find(word) == kept_exact_.end();
  lowered_.assign(word);
  for (char& c : lowered_) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (folded_.find(lowered_) == folded_.end()) return false;
  if (kept_folded_.find(lowered_) == kept_folded_.end()) return true;  // the first row of this spelling, any case
  // The lower-case row after another casing ("YOUR", then "your"): kept too, so that the scan can stop.
  return word == lowered_ && kept_exact_.find(word) == kept_exact_.end();
}

void WantedWords::keep(std::string_view word, std::vector<float> vector, EmbeddingTable& table) {
  kept_exact_.emplace(word);
  kept_folded_.insert(ascii_lower(word));
  table.add(std::string(word), std::move(vector));
  count_missing();
}

// Rows are kept rarely (at most two per wanted word): counting again is cheap.
void WantedWords::count_missing() {
  missing_ = 0;
  for (const std::string& w : words_) {
    if (kept_exact_.find(w) == kept_exact_.end() && kept_exact_.find(ascii_lower(w)) == kept_exact_.end()) ++missing_;
  }
}

}  // namespace attn
