#include "cli_docs.hpp"

#include <cctype>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli_options.hpp"
#include "attn/util/data_dir.hpp"

namespace attn {

namespace {

// The value names that say a file or folder is expected (type_name in cli_options.cpp).
bool names_a_file(const std::string& value) {
  return value.find("FILE") != std::string::npos || value.find("DIR") != std::string::npos ||
         value.find(".json") != std::string::npos;
}

// The values of a validator named kChoicesValidator + "a|b|c".
std::vector<std::string> choices_of(CLI::Option& option) {
  const std::string_view prefix = kChoicesValidator;
  for (int i = 0;; ++i) {
    CLI::Validator* v = nullptr;
    try {
      v = option.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      return {};
    }
    const std::string& name = v->get_name();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    return split_on(name.substr(prefix.size()), '|');
  }
}

// The value name as --help shows it, without the ":{...}" CLI11 appends for a check.
std::string value_name(const CLI::Option& option) {
  std::string type = option.get_type_name();
  if (const std::size_t colon = type.find(':'); colon != std::string::npos) type.resize(colon);
  return type;
}

OptionDoc describe_option(CLI::Option& option) {
  OptionDoc d;
  for (const std::string& s : option.get_snames()) d.names.push_back("-" + s);
  for (const std::string& l : option.get_lnames()) d.names.push_back("--" + l);
  if (option.get_items_expected_max() > 0) d.value = value_name(option);
  d.description = option.get_description();
  d.default_value = option.get_default_str();
  d.choices = choices_of(option);
  d.file = names_a_file(d.value);
  d.required = option.get_required();
  return d;
}

PositionalDoc describe_positional(const std::string& command, CLI::Option& option) {
  PositionalDoc p;
  p.name = option.get_name(true);
  p.value = value_name(option);
  if (p.value == "TEXT") {  // CLI11's name for a string: the positional's own name says more ("SENTENCE")
    p.value.clear();
    for (const char c : p.name) p.value += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  p.description = option.get_description();
  p.file = names_a_file(p.value);
  p.many = option.get_items_expected_max() > 1;
  // The names a subcommand lists with --json (cli.cpp, cli_exercise.cpp).
  if (command == "lesson") p.list_command = "lesson", p.list_key = "name";
  if (command == "exercise") p.list_command = "exercise", p.list_key = "id";
  return p;
}

CommandDoc describe_command(CLI::App& app, const std::string& name) {
  CommandDoc c;
  c.name = name;
  c.description = app.get_description();
  c.footer = app.get_footer();
  for (CLI::Option* option : app.get_options()) {
    if (option->get_positional()) {
      c.positionals.push_back(describe_positional(name, *option));
    } else {
      c.options.push_back(describe_option(*option));
    }
  }
  return c;
}

// `app` as `path` ("" for the main command), then its subcommands, depth first.
void add_commands(ProgramDoc& doc, CLI::App& app, const std::string& path) {
  doc.commands.push_back(describe_command(app, path));
  const std::size_t index = doc.commands.size() - 1;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    doc.commands[index].subcommands.push_back(sub->get_name());
    add_commands(doc, *sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
  }
}

// roff: a backslash as \e, every '-' as \- (an ASCII minus, so that options can be
// copied), a line starting with '.' or '\'' protected.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string man_option(const OptionDoc& o) {
  std::string head;
  for (const std::string& n : o.names) head += (head.empty() ? "\\fB" : "\\fR, \\fB") + roff(n);
  head += "\\fR";
  if (!o.value.empty()) head += " \\fI" + roff(o.value) + "\\fR";
  std::string body = roff(o.description);
  if (!o.choices.empty()) {
    std::string list;
    for (const std::string& c : o.choices) list += (list.empty() ? "" : ", ") + ("\\fB" + roff(c) + "\\fR");
    body += ". One of: " + list;
  }
  if (!o.default_value.empty()) body += ". Default: \\fB" + roff(o.default_value) + "\\fR";
  if (o.required) body += ". Required";
  return fmt::format(".TP\n{}\n{}\n", head, body);
}

std::string synopsis(const ProgramDoc& doc, const CommandDoc& c) {
  std::string s = ".B " + roff(doc.program) + (c.name.empty() ? "" : " " + roff(c.name)) + "\n[\\fIOPTIONS\\fR]";
  if (!c.name.empty() && !c.subcommands.empty()) s += " \\fISUBCOMMAND\\fR";
  for (const PositionalDoc& p : c.positionals) {
    const std::string v = "\\fI" + roff(p.value) + "\\fR" + (p.many ? "..." : "");
    s += " " + (c.name == "render" ? v : "[" + v + "]");
  }
  return s + "\n";
}

// The "Examples:" of a footer ("  command\n      what it does"), as .TP items; the
// rest of the footer (after the examples) as a paragraph.
std::string man_examples(std::string_view footer) {
  std::string out;
  std::size_t start = 0;
  while (start < footer.size()) {
    const std::size_t end = std::min(footer.find('\n', start), footer.size());
    const std::string_view line = footer.substr(start, end - start);
    start = end + 1;
    if (line == "Examples:" || line.empty()) continue;
    if (line.rfind("      ", 0) == 0) {
      out += roff(line.substr(line.find_first_not_of(' '))) + "\n";
    } else if (line.rfind("  ", 0) == 0) {
      // "  command    what it does" on one line, or the command alone.
      std::string_view command = line.substr(2), what;
      if (const std::size_t gap = command.find("   "); gap != std::string_view::npos) {
        what = command.substr(command.find_first_not_of(' ', gap));
        command = command.substr(0, gap);
      }
      out += ".TP\n\\fB" + roff(command) + "\\fR\n" + (what.empty() ? "" : roff(what) + "\n");
    } else {
      out += ".PP\n" + roff(line) + "\n";
    }
  }
  return out;
}

constexpr const char* kDescription = R"(.B attn\-explain
computes scaled dot\-product self\-attention on a sentence and prints every stage as a
labelled table: the token embeddings, the queries, keys and values, the dot\-product
scores, the scaling by sqrt(d_k), the softmax weights and the context vectors. The engine
computes in float32 and reproduces PyTorch's random generator, so the numbers are the
tutorials' numbers (Raschka, \fIBuild a Large Language Model (From Scratch)\fR, chapter 3).
With \fB\-\-model\fR it shows a trained GPT\-2\-family model's own attention instead.
.PP
Results go to standard output; notes, warnings and errors to standard error, one line each,
starting with \fBattn\-explain: error:\fR.
)";

constexpr const char* kFiles = R"(.TP
.I /usr/share/attn\-explain/
The bundled data, found relative to the binary (\fIbin/../share/attn\-explain\fR):
the embedding tables (\fIdefault.json\fR, \fIjourney.json\fR, ...), \fIlessons/\fR,
\fIexercises/\fR, the \fB\-\-explain\fR notes (\fIexplain.json\fR), the HTML and SVG
templates and the demo model (\fImodels/demo/\fR).
.TP
.I $XDG_STATE_HOME/attn\-explain/progress.json
Which exercises you have solved (default \fI~/.local/state/attn\-explain/\fR).
)";

constexpr const char* kEnvironment = R"(.TP
.B ATTN_EXPLAIN_DATA
A folder searched first for the bundled data.
.TP
.B NO_COLOR
When set (to anything), \fB\-\-color auto\fR prints no colour.
.TP
.B COLUMNS
The width tables fit on a terminal, when \fB\-\-width\fR is not given.
.TP
.B ATTN_THREADS
The most threads a model run computes with (default: the processors available).
.TP
.B ATTN_KERNEL
The path of a model run's matrix products: \fBgeneric\fR, \fBavx2\fR or \fBavx512\fR (default: the best this processor has). Every path gives the same bits.
.TP
.BR XDG_STATE_HOME ", " HOME
Where the exercise progress is kept.
)";

constexpr const char* kExitStatus = R"(.TP
.B 0
Success (and a right answer to \fBexercise \-\-answer\fR).
.TP
.B 1
Bad input data: a table, a sentence, a model, a lesson or trace file (and a wrong
\fBexercise \-\-answer\fR, a false claim under \fBlesson \-\-check\fR).
.TP
.B 2
Bad usage: an unknown option, a value out of range, options that do not go together.
.PP
Every message, with what to do about it, is listed in \fIdocs/errors.md\fR in the source tree.
)";

}  // namespace

ProgramDoc describe_command_line() {
  CommandLine cl;
  const std::unique_ptr<CLI::App> app = make_command_line_app(cl);
  ProgramDoc doc;
  doc.program = app->get_name();
  doc.version = version();
  add_commands(doc, *app, "");
  return doc;
}

std::string man_page(const ProgramDoc& doc) {
  const CommandDoc& main = doc.commands.front();
  std::string title = main.description;
  if (const std::size_t colon = title.find(": "); colon != std::string::npos) title = title.substr(colon + 2);
  if (!title.empty() && title.back() == '.') title.pop_back();
  std::string out = fmt::format(".\\\" Generated by attn-explain-gen-docs from the program's options: do not edit.\n"
                                ".TH ATTN\\-EXPLAIN 1 \"\" \"{} {}\" \"User Commands\"\n.nh\n.ad l\n",
                                roff(doc.program), roff(doc.version));
  out += ".SH NAME\n" + roff(doc.program) + " \\- " + roff(title) + "\n.SH SYNOPSIS\n";
  for (const CommandDoc& c : doc.commands) out += synopsis(doc, c) + (&c == &doc.commands.back() ? "" : ".br\n");
  out += ".SH DESCRIPTION\n" + std::string(kDescription);
  for (const PositionalDoc& p : main.positionals) out += ".TP\n\\fI" + roff(p.value) + "\\fR...\n" + roff(p.description) + "\n";
  out += ".SH OPTIONS\n";
  for (const OptionDoc& o : main.options) out += man_option(o);
  out += ".SH SUBCOMMANDS\n";
  for (std::size_t i = 1; i < doc.commands.size(); ++i) {
    const CommandDoc& c = doc.commands[i];
    out += ".SS " + roff(c.name) + "\n" + roff(c.description) + ".\n";
    for (const PositionalDoc& p : c.positionals) out += ".TP\n\\fI" + roff(p.value) + "\\fR\n" + roff(p.description) + "\n";
    for (const OptionDoc& o : c.options) out += man_option(o);
    if (c.footer != main.footer) out += ".PP\n" + man_examples(c.footer);  // CLI11 gives a subcommand its parent's
  }
  out += ".SH FILES\n" + std::string(kFiles);
  out += ".SH ENVIRONMENT\n" + std::string(kEnvironment);
  out += ".SH EXIT STATUS\n" + std::string(kExitStatus);
  out += ".SH EXAMPLES\n" + man_examples(main.footer.substr(0, main.footer.find("\n\n")));
  out += ".SH SEE ALSO\nThe README and \\fIdocs/\\fR of the source tree: the tutorial, the trace and table formats, "
         "the errors.\n";
  return out;
}

}  // namespace attn
