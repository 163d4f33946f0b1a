// A quantity's answer kind by its name (exercise_quantity.hpp).
#include "attn/teach/exercise_quantity.hpp"

#include <fmt/format.h>

#include "attn/util/error.hpp"

namespace attn {

Answer::Kind answer_kind(std::string_view quantity_name) {
  const std::optional<Quantity> q = value_named(kQuantityNames, quantity_name);
  if (!q) throw UsageError(fmt::format("unknown quantity \"{}\"", quantity_name));
  return answer_kind(*q);
}

}  // namespace attn
