#include "attn/render_compare.hpp"
