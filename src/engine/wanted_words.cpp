#include "wanted_words.hpp"

namespace attn {

WantedWords::WantedWords(const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (w.empty() || !exact_.emplace(w, words_.size()).second) continue;
    folded_[ascii_lower(w)].push_back(words_.size());
    words_.push_back(w);
    if (w.size() < 64) {
      lengths_ |= std::uint64_t{1} << w.size();
    } else {
      long_words_ = true;
    }
  }
  found_.assign(words_.size(), false);
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
  const std::string lower = ascii_lower(word);
  kept_folded_.insert(lower);
  table.add(std::string(word), std::move(vector));
  // A word is found by its own spelling, or by a row spelled as its lower-case form.
  if (auto it = exact_.find(word); it != exact_.end()) satisfy(it->second);
  if (lower == word) {
    if (auto it = folded_.find(lower); it != folded_.end()) {
      for (std::size_t i : it->second) satisfy(i);
    }
  }
}

void WantedWords::satisfy(std::size_t index) {
  if (found_[index]) return;
  found_[index] = true;
  --missing_;
}

}  // namespace attn
