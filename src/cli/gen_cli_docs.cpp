// gen_cli_docs.cpp: attn-explain-gen-docs, the build's writer of the man page and
// the shell completions (cli_docs.hpp), from the options the program parses.
//   attn-explain-gen-docs man|bash|zsh|fish FILE
// Exit status: 0 written, 2 bad usage; FILE is written atomically.
#include <cstdio>
#include <exception>
#include <string_view>

#include "attn/util/atomic_file.hpp"
#include "cli_docs.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: attn-explain-gen-docs man|bash|zsh|fish FILE\n", stderr);
    return 2;
  }
  const std::string_view what = argv[1];
  try {
    const attn::ProgramDoc doc = attn::describe_command_line();
    std::string text;
    if (what == "man") text = attn::man_page(doc);
    else if (what == "bash") text = attn::bash_completion(doc);
    else if (what == "zsh") text = attn::zsh_completion(doc);
    else if (what == "fish") text = attn::fish_completion(doc);
    else {
      std::fprintf(stderr, "attn-explain-gen-docs: expected man, bash, zsh or fish, got \"%s\"\n", argv[1]);
      return 2;
    }
    attn::write_file_atomically(argv[2], text);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "attn-explain-gen-docs: %s\n", e.what());
    return 1;
  }
  return 0;
}
