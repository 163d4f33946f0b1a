#include "cli.hpp"

#include <csignal>
#include <cstdio>
#include <new>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "attn/util/error.hpp"
#include "cli_exercise.hpp"
#include "cli_lesson.hpp"
#include "cli_options.hpp"
#include "cli_run.hpp"
#include "cli_table.hpp"
#include "cli_timeline.hpp"
#include "attn/util/echo.hpp"
#include "output.hpp"
#include "attn/parameter_count.hpp"
#include "attn/render/render_table.hpp"
#include "serve.hpp"
#include "terminal.hpp"
#include "attn/trace_json.hpp"

namespace attn {

namespace {

constexpr const char* kProgram = "attn-explain";

// The message is one line and the hint its own lines, whatever user text they
// quote: a newline or an escape sequence in a key or an argument is shown
// escaped, never obeyed (echo.hpp).
void print_error(const std::string& what, const std::string& hint) {
  std::string text = fmt::format("{}: error: {}\n", kProgram, printable(what, kMessageLineBytes));
  if (!hint.empty()) text += printable_lines(hint) + "\n";
  std::fputs(text.c_str(), stderr);
}

// attn-explain params: the module's trainable parameters, counted.
int run_params(const ParamsOptions& p) {
  const ParameterCount count = count_parameters(p.d_in, p.d_out, p.heads, p.multihead, p.qkv_bias);
  write_stdout(p.json ? format_json(parameter_count_to_json(count, p.d_in, p.d_out, p.heads, p.multihead, p.qkv_bias))
                      : render_parameter_count(count, p.d_in, p.d_out, p.heads, p.multihead));
  return 0;
}

// The command the command line names, run.
int dispatch(const CommandLine& cl) {
  const Terminal terminal = stdout_terminal();
  switch (cl.command) {
    case Command::params: return run_params(cl.params);
    case Command::lesson: return run_lesson_command(cl.lesson, terminal);
    case Command::exercise: {
      ExerciseCommand ec = cl.exercise;
      ec.color = color_for(cl.exercise_color, terminal);
      return run_exercise(ec);
    }
    case Command::render: return run_render(cl.render, terminal);
    case Command::table_extract: return run_table_extract(cl.table);
    case Command::explore: return run_explorer(cl.main, terminal);
    case Command::serve: return serve(cl.serve);
    case Command::timeline: return run_timeline(cl.timeline, terminal);
  }
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  // A closed pipe is an EPIPE from write(), seen by write_stdout(), not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  // A file beyond `ulimit -f` is an EFBIG from write(), reported as any failed write, not a signal.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    const CommandLine cl = parse_command_line(argc, argv);
    if (cl.print) {
      write_stdout(*cl.print);
      return 0;
    }
    return dispatch(cl);
  } catch (const ReaderGone&) {
    return 0;
  } catch (const Error& e) {
    // The keys an error names are this front end's options: "d-out" → "--d-out".
    const auto as_option = [](std::string_view key) { return "--" + std::string(key); };
    print_error(name_keys(e.message(), as_option), name_keys(e.hint(), as_option));
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    // Everything the run held is freed by now; still, this line allocates nothing.
    std::fputs("attn-explain: error: out of memory: the run needed more than the system would give it\n"
               "give a shorter sentence, fewer heads or a smaller --d-out\n",
               stderr);
    return 1;
  } catch (const std::exception& e) {
    print_error(fmt::format("internal error: {}", e.what()), "please report this as a bug");
    return 70;
  }
}

}  // namespace attn
