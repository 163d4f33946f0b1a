#include "attn/render/render_exercise.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "attn/parameter_count.hpp"
#include "attn/render/render_focus.hpp"
#include "attn/render/render_table.hpp"
#include "attn/render/style.hpp"
#include "attn/util/unicode.hpp"
#include "attn/teach/answer_compare.hpp"

namespace attn {

namespace {

std::string stars(int difficulty) {
  std::string s;
  for (int k = 1; k <= 3; ++k) s += k <= difficulty ? "●" : "○";
  return s;
}

bool asks_a_token(const Exercise& e) { return e.ask.token.has_value(); }

// The tables of `stages` of the run: the header, then those stages.
// A model's run shows the exercise's head only (its "head", from 1).
std::string tables(const Exercise& e, const Trace& trace, const std::vector<Stage>& stages, const ExerciseOptions& options,
                   bool header) {
  RenderOptions ro = with_precision(options.precision);
  ro.color = options.color;
  if (trace.model) ro.head = e.settings.head - 1;
  ro.stages.insert(stages.begin(), stages.end());
  std::string out;
  for (const Section& s : render_sections(trace, ro)) {
    if (!s.stage ? header : !stages.empty()) out += s.text;
  }
  return out;
}

std::string answer_form(const Exercise& e) {
  switch (e.ask.quantity) {
    case Quantity::attends_most: return "a token of the sentence, e.g. --answer ball";
    case Quantity::output_shape: return "rows and columns, e.g. --answer \"3, 5\"";
    case Quantity::parameter_count: return "a whole number, e.g. --answer 1234";
    case Quantity::scores:
    case Quantity::weights:
    case Quantity::context:
    case Quantity::query:
    case Quantity::output:
      return "the numbers in order, e.g. --answer \"0.12, 0.34, 0.56\" or --answer \"[0.12 0.34 0.56]\"";
    case Quantity::score:
    case Quantity::scaled_score:
    case Quantity::weight:
    case Quantity::scale_divisor:
    case Quantity::dropout_scale: break;
  }
  return "one number, e.g. --answer 0.1234";
}

}  // namespace

bool has_run(const Exercise& exercise) { return exercise.ask.quantity != Quantity::parameter_count; }

std::string explore_command(const Exercise& e) {
  if (!has_run(e)) {
    return fmt::format("attn-explain params --d-in {} --d-out {} --heads {} --multihead {}{}", e.ask.d_in, e.ask.d_out,
                       e.ask.heads, to_string(e.ask.multihead), e.ask.qkv_bias ? " --qkv-bias" : "");
  }
  std::string extra;
  if (e.ask.token) {
    const std::string& t = *e.ask.token;
    extra = " --focus " + (t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") ==
                                   std::string::npos
                               ? t
                               : shell_quote(t));
  }
  return command_line(e.settings, extra);
}

std::string render_exercise_list(const std::vector<Exercise>& exercises, const Progress& progress,
                                 const ExerciseOptions& options) {
  std::size_t id_width = 2, title_width = 5, topic_width = 5, solved = 0;
  for (const Exercise& e : exercises) {
    id_width = std::max(id_width, display_width(e.id));
    title_width = std::max(title_width, display_width(e.title));
    topic_width = std::max(topic_width, display_width(e.topic));
  }
  std::string rows;
  for (std::size_t i = 0; i < exercises.size(); ++i) {
    const Exercise& e = exercises[i];
    const auto it = progress.exercises.find(e.id);
    const bool done = it != progress.exercises.end() && it->second.solved;
    solved += done ? 1 : 0;
    rows += fmt::format("  {:>2}  {}  {}  {}  {}{}\n", i + 1, pad_right(e.id, id_width), pad_right(e.title, title_width),
                        pad_right(e.topic, topic_width), stars(e.difficulty),
                        done ? "    " + bold("✓", options.color) : std::string());
  }
  std::string out = fmt::format("Exercises: {} of {} solved. Start one with: attn-explain exercise ID\n\n", solved,
                                exercises.size());
  out += fmt::format("   #  {}  {}  {}  level  solved\n", pad_right("id", id_width), pad_right("title", title_width),
                     pad_right("topic", topic_width));
  return out + rows;
}

std::string render_exercise(const Exercise& e, const Trace* trace, const ExerciseOptions& options) {
  std::string out = bold(fmt::format("Exercise {}: {}", e.id, e.title), options.color);
  out += fmt::format("   ({}, difficulty {} of 3)\n", e.topic, e.difficulty);
  out += dim(fmt::format("From: {}", e.source), options.color) + "\n\n";
  for (const std::string& line : e.task) out += line.empty() ? "\n" : "  " + line + "\n";
  if (trace) {
    out += '\n';
    out += tables(e, *trace, e.show, options, true);
  }
  out += "\n";
  out += fmt::format("  Answer with   attn-explain exercise {} --answer VALUE\n", e.id);
  out += fmt::format("                VALUE: {}\n", answer_form(e));
  out += fmt::format("  Stuck?        attn-explain exercise {} --hint   ({} hints, one more each time)\n", e.id,
                     e.hints.size());
  out += fmt::format("  Explore it    {}\n", explore_command(e));
  return out;
}

std::string render_hint(const Exercise& e, std::size_t k) {
  std::string out = fmt::format("Hint {} of {} for {}:\n  {}\n", k, e.hints.size(), e.id, e.hints.at(k - 1));
  if (k == e.hints.size()) {
    out += fmt::format("That was the last hint; attn-explain exercise {} --solution shows the worked answer.\n", e.id);
  }
  return out;
}

std::string render_solution(const Exercise& e, const Trace* trace, const Answer& answer, const ExerciseOptions& options) {
  std::string out = bold(fmt::format("Solution of {}: {}", e.id, e.title), options.color) + "\n";
  const Quantity q = e.ask.quantity;
  if (q == Quantity::parameter_count) {
    const ParameterCount count = count_parameters(e.ask.d_in, e.ask.d_out, e.ask.heads, e.ask.multihead, e.ask.qkv_bias);
    out += '\n';
    out += render_parameter_count(count, e.ask.d_in, e.ask.d_out, e.ask.heads, e.ask.multihead);
  } else if (trace && asks_a_token(e)) {
    out += '\n';
    out += tables(e, *trace, {}, options, true);
    out += '\n';
    const std::optional<std::size_t> head = trace->model ? std::optional<std::size_t>(e.settings.head - 1) : std::nullopt;
    out += render_focus(*trace, find_focus(*trace, *e.ask.token), FocusOptions{options.precision, options.color, head, false});
  } else if (trace && q == Quantity::dropout_scale) {
    const double p = trace->settings.dropout;
    out += fmt::format("\n  Dropout keeps each weight with probability 1 − p and scales the kept ones by\n"
                       "  1 / (1 − p) = 1 / (1 − {}) = 1 / {}, so that the expected sum stays the same.\n\n",
                       p, 1.0 - p);
    out += tables(e, *trace, {Stage::dropout}, options, true);
  } else if (trace && q == Quantity::scale_divisor) {
    out += fmt::format("\n  d_k is the width of the keys (and queries): {} here, so √d_k = √{}.\n\n",
                       trace->heads.front().keys.cols, trace->heads.front().keys.cols);
    out += tables(e, *trace, {Stage::keys, Stage::scaled}, options, true);
  } else if (trace) {
    out += fmt::format("\n  The output has one row per token ({}) and one column per output dimension ({}).\n\n",
                       trace->output.rows, trace->output.cols);
    out += tables(e, *trace, {Stage::context, Stage::heads, Stage::output}, options, true);
  }
  out += fmt::format("\n{} {}\n", bold("Answer:", options.color), format_answer(answer, options.precision));
  return out;
}

std::string render_verdict(const Exercise& e, const Answer& given, const Verdict& verdict, const ExerciseOptions& options) {
  const Precision p = precision_of(e);
  const std::string shown = format_as_given(given, options.precision);
  if (verdict.correct) {
    const std::string how = given.kind == Answer::Kind::token ? std::string()
                            : widened(p)                      ? fmt::format(" (within {})", p.tolerance)
                            : p.decimals > 0                  ? fmt::format(" (to {})", decimals_words(p.decimals))
                                                              : std::string();
    const std::string note = verdict.note.empty() ? std::string() : ": " + verdict.note;
    return fmt::format("{} {} is right{}{}.\n", bold("✓ Right:", options.color), shown, how, note);
  }
  if (verdict.too_few_decimals) {
    return fmt::format("{} {} has fewer than the task asks for.\n  {}\n  Not counted as an attempt.\n",
                       bold(fmt::format("✗ Give {}:", decimals_words(p.decimals)), options.color), shown, verdict.nudge);
  }
  std::string out = fmt::format("{} {} is not the answer.\n", bold("✗ Not yet:", options.color), shown);
  if (!verdict.nudge.empty()) out += "  " + verdict.nudge + "\n";
  out += fmt::format("  Try again, ask for a hint (--hint), or see the worked answer (--solution).\n");
  return out;
}

}  // namespace attn
