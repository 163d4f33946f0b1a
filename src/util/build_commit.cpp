// build_commit.cpp: build_commit() (data_dir.hpp), alone in its file so that a new
// commit recompiles only this one.
#include "attn/util/data_dir.hpp"

#include "attn_build_commit.h"

namespace attn {

const char* build_commit() { return ATTN_BUILD_COMMIT; }

}  // namespace attn
