#!/usr/bin/env python3
"""Architecture check: the layers' rules that the build alone does not enforce.

Reads every .hpp and .cpp under src/ and include/attn/, and each layer's
src/<layer>/CMakeLists.txt, and prints one line per finding, file:line: rule:
what, exiting 1 if there is any:

  layer     an #include of a header of a higher layer. The order is
            util < engine < teach < render < cli. A header's layer is its
            folder's: src/<layer>/, include/attn/<layer>/ for util, teach and
            render, include/attn/ for the engine.
  private   an #include that reaches a private header of another layer (one
            in src/<other>/), or names one that is on no include path the
            including file has. An include is resolved as the build resolves
            it: in the including file's own folder, then in include/, then in
            the file's own layer folder (the only private folder on its path).
            Includes naming no file of the project (<vector>,
            <fmt/format.h>) are ignored.
  cmake     a layer whose src/<layer>/CMakeLists.txt does not give its own
            folder (${CMAKE_CURRENT_SOURCE_DIR}) to target_include_directories
            of attn_<layer> as PRIVATE, or gives it as PUBLIC or INTERFACE:
            then its private headers would be on the path of the layers above.
  exp       exp(, expf(, expl( or std::exp( outside src/engine/: every
            exponential of the program belongs to the engine's softmax.
            Comments, string and character literals are not looked at.
  file      a source file over 700 lines.
  function  a function over 100 lines, counted from the line of its name to
            the line of its closing brace.
  type      a class, struct, union or enum defined at namespace scope (at the start
            of a line) in two headers under one name. Every layer is linked into one
            program, so the two would be one type with two meanings, against the One
            Definition Rule: the linker keeps one copy of their inline functions (a
            struct's destructor, say) for both. The unity build (CMakeLists.txt) made
            such a pair crash. Nested types (indented) are not looked at.

How a function is found (a heuristic for this code base's clang-format Google
style, not a C++ parser): comments, literals and preprocessor lines are blanked
first; then braces are matched. An opening brace outside any function body
opens a function body when the code before it ends with ')' (after dropping
const, noexcept, override, final, mutable, a trailing '-> Type' or a
constructor's initializer list) and the word before the matching '(' is a name
rather than if/for/while/switch/catch or a lambda's ']'. Everything up to the
matching closing brace (lambdas and blocks inside included) is that function.
Class bodies are not function bodies, so inline member functions count one by
one.

Usage:
  check_layers.py [ROOT]     check the tree at ROOT (default: this repository)
  check_layers.py --self-test
                             build small trees in a temporary directory, one
                             breaking each rule once and one breaking none,
                             and check that exactly those findings are made
"""

import os
import re
import sys
import tempfile

LAYERS = ["util", "engine", "teach", "render", "cli"]
RANK = {name: i for i, name in enumerate(LAYERS)}
MAX_FILE_LINES = 700
MAX_FUNCTION_LINES = 100
SOURCE_EXTENSIONS = (".hpp", ".cpp")

CONTROL_WORDS = {"if", "for", "while", "switch", "catch", "return", "sizeof", "alignof", "decltype",
                 "static_assert", "noexcept", "requires"}
TRAILING_QUALIFIERS = {"const", "noexcept", "override", "final", "mutable", "volatile", "&", "&&"}


def layer_of(rel_path):
    """The layer a file belongs to (its path relative to the root, with '/'), or None."""
    parts = rel_path.split("/")
    if len(parts) >= 3 and parts[0] == "src" and parts[1] in RANK:
        return parts[1]
    if len(parts) == 3 and parts[0] == "include" and parts[1] == "attn":
        return "engine"
    if len(parts) == 4 and parts[0] == "include" and parts[1] == "attn" and parts[2] in RANK:
        return parts[2]
    return None


def is_private(rel_path):
    """A header in a layer's own folder, src/<layer>/: private to that layer."""
    return rel_path.startswith("src/")


def source_files(root):
    """Relative paths of every .hpp/.cpp under src/ and include/attn/, sorted."""
    found = []
    for top in ("src", os.path.join("include", "attn")):
        for folder, _, names in os.walk(os.path.join(root, top)):
            for name in names:
                if name.endswith(SOURCE_EXTENSIONS):
                    found.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return sorted(found)


def blank_non_code(text):
    """The text with comments, string/character literals and preprocessor lines
    replaced by spaces, newlines kept, so that offsets and line numbers stay."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#":
            j = i
            while j < n and text[j] != "\n":  # a directive, with its continuation lines
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                else:
                    j += 1
            blank(i, j)
            i = j
            continue
        if c == "\n":
            at_line_start = True
            i += 1
            continue
        if c in " \t":
            i += 1
            continue
        at_line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif c == "R" and i + 1 < n and text[i + 1] == '"' and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            open_paren = text.find("(", i + 2)
            delimiter = text[i + 2:open_paren]
            end = text.find(")" + delimiter + '"', open_paren)
            j = n if end < 0 else end + len(delimiter) + 2
            blank(i + 1, j)
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum():  # a digit separator: 1'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, min(j, n))
            i = j + 1
        else:
            i += 1
    return "".join(out)


INCLUDE = re.compile(r'^\s*#\s*include\s*(?:"([^"]+)"|<(attn/[^>]+)>)', re.M)
EXP_CALL = re.compile(r"(?<![\w.])(?:std\s*::\s*|::\s*)?exp[fl]?\s*\(")


def resolve_include(rel, spelled, quoted, files):
    """The project file an #include names, as the build finds it, or None: a
    quoted include first in the including file's folder, then in include/ (every
    layer's path), then in the layer's own folder (its PRIVATE path)."""
    own_folder = rel.rsplit("/", 1)[0]
    folders = ([own_folder] if quoted else []) + ["include", f"src/{layer_of(rel)}"]
    for folder in folders:
        candidate = os.path.normpath(f"{folder}/{spelled}").replace(os.sep, "/")
        if candidate in files:
            return candidate
    return None


def check_includes(rel, text, files, headers):
    """Findings of rules 'layer' and 'private' in one file. files: every source
    path; headers: file name -> [paths of the headers of that name]."""
    own = layer_of(rel)
    findings = []
    for m in INCLUDE.finditer(text):
        spelled = m.group(1) or m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        target = resolve_include(rel, spelled, m.group(1) is not None, files)
        if target is None:
            # Not on this file's path: a private header of another layer, if one is so named.
            hidden = [p for p in headers.get(spelled.rsplit("/", 1)[-1], []) if is_private(p)]
            for path in hidden:
                findings.append((rel, line, "private", f"{own} includes {path}, private to {layer_of(path)} "
                                                      "(not on its include path; publish it in include/attn/)"))
            continue
        theirs = layer_of(target)
        if is_private(target) and theirs != own:
            findings.append((rel, line, "private", f"{own} includes {target}, private to {theirs}"))
        elif RANK[theirs] > RANK[own]:
            findings.append((rel, line, "layer", f"{own} includes {target} ({theirs} is a higher layer)"))
    return findings


TARGET_INCLUDES = re.compile(r"target_include_directories\s*\(([^)]*)\)", re.S)


def check_cmake(root):
    """Findings of rule 'cmake': each layer's own folder is a PRIVATE include directory."""
    findings = []
    for layer in LAYERS:
        rel = f"src/{layer}/CMakeLists.txt"
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            if os.path.isdir(os.path.join(root, "src", layer)):
                findings.append((rel, 1, "cmake", f"missing: {layer}'s folder must be a PRIVATE include directory"))
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        code = re.sub(r"#[^\n]*", "", text)
        private_at = None
        for m in TARGET_INCLUDES.finditer(code):
            words = m.group(1).split()
            if not words or words[0] != f"attn_{layer}":
                continue
            scope = None
            for word in words[1:]:
                if word in ("PRIVATE", "PUBLIC", "INTERFACE", "SYSTEM", "BEFORE", "AFTER"):
                    scope = word if word in ("PRIVATE", "PUBLIC", "INTERFACE") else scope
                elif word.rstrip("/") == "${CMAKE_CURRENT_SOURCE_DIR}":
                    line = code.count("\n", 0, m.start()) + 1
                    if scope == "PRIVATE":
                        private_at = line
                    else:
                        findings.append((rel, line, "cmake", f"attn_{layer} gives its own folder as {scope or 'no scope'}: "
                                                             "it must be PRIVATE (its headers are private to it)"))
        if private_at is None and not any(r == rel for r, _, _, _ in findings):
            findings.append((rel, 1, "cmake", f"attn_{layer} does not give its own folder as a PRIVATE include directory"))
    return findings


def check_exp(rel, code):
    if rel.startswith("src/engine/"):
        return []
    return [(rel, code.count("\n", 0, m.start()) + 1, "exp",
             f"'{m.group(0).strip()}' outside src/engine/ (exponentials belong to the engine's softmax)")
            for m in EXP_CALL.finditer(code)]


TYPE_DEFINITION = re.compile(r"^(?:struct|class|union|enum(?:[ \t]+class)?)[ \t]+([A-Za-z_]\w*)(?:[ \t]+final)?[ \t]*(?::[^;{]*)?\{",
                             re.M)


def check_type_names(header_code):
    """Types of one name defined in two headers; header_code maps each header to its blanked code."""
    seen, findings = {}, []
    for rel in sorted(header_code):
        code = header_code[rel]
        for m in TYPE_DEFINITION.finditer(code):
            name, line = m.group(1), code.count("\n", 0, m.start()) + 1
            if name not in seen:
                seen[name] = (rel, line)
                continue
            first, first_line = seen[name]
            findings.append((rel, line, "type", f"'{name}' is defined in {first}:{first_line} too: two types "
                             "of one name in one program (rename one)"))
    return findings


def check_file_length(rel, text):
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if lines > MAX_FILE_LINES:
        return [(rel, MAX_FILE_LINES + 1, "file", f"{lines} lines (limit {MAX_FILE_LINES})")]
    return []


def _matching_open(code, close, open_char, close_char):
    """Offset of the bracket opening the one at code[close], or -1."""
    depth = 0
    for k in range(close, -1, -1):
        if code[k] == close_char:
            depth += 1
        elif code[k] == open_char:
            depth -= 1
            if depth == 0:
                return k
    return -1


def _skip_space_back(code, k):
    while k >= 0 and code[k].isspace():
        k -= 1
    return k


def _word_before(code, k):
    """(word, start) of the identifier (with ::, ~) ending at or before code[k]."""
    k = _skip_space_back(code, k)
    end = k + 1
    while k >= 0 and (code[k].isalnum() or code[k] in "_:~"):
        k -= 1
    return code[k + 1:end], k + 1


def function_name_at(code, brace):
    """If the '{' at code[brace] opens a function body: (name, offset of name). Else None."""
    k = _skip_space_back(code, brace - 1)
    # A constructor's initializer list: ") : a_(x), b_{y} {" -> back to its ')'.
    while True:
        if k >= 0 and code[k] in ")}":
            opener = _matching_open(code, k, "(" if code[k] == ")" else "{", code[k])
            if opener < 0:
                return None
            word, start = _word_before(code, opener - 1)
            before = _skip_space_back(code, start - 1)
            if word and before >= 0 and code[before] in ",:" and not code[before - 1:before + 1] == "::":
                k = _skip_space_back(code, before - 1)
                if code[before] == ":":
                    break
                continue
        break
    # Trailing qualifiers and a trailing return type.
    while True:
        word, start = _word_before(code, k)
        if word in TRAILING_QUALIFIERS:
            k = _skip_space_back(code, start - 1)
            continue
        if k >= 0 and code[k] == "&":
            k = _skip_space_back(code, k - 1)
            continue
        arrow = code.rfind("->", 0, k + 1)
        if arrow >= 0 and code[k] != ")":
            between = code[arrow + 2:k + 1]
            if re.fullmatch(r"[\s\w:<>,*&]+", between):
                k = _skip_space_back(code, arrow - 1)
                continue
        break
    if k < 0 or code[k] != ")":
        return None
    opener = _matching_open(code, k, "(", ")")
    if opener < 0:
        return None
    before = _skip_space_back(code, opener - 1)
    if before >= 0 and code[before] == "]":  # a lambda
        return None
    word, start = _word_before(code, opener - 1)
    if code[:opener].rstrip().endswith("operator()"):
        word, start = _word_before(code, code.rfind("operator", 0, opener) + len("operator") - 1)
        word += "()"
    if not word or word.split("::")[-1] in CONTROL_WORDS:
        return None
    if start > 0 and code[_skip_space_back(code, start - 1)] in "=":
        return None
    return word, start


def functions(code):
    """(name, first line, last line) of every function body found in blanked code."""
    found = []
    stack = []  # for each open brace: the (name, offset) of the function it opens, or None
    in_function = False
    for i, c in enumerate(code):
        if c == "{":
            opened = None if in_function else function_name_at(code, i)
            in_function = in_function or opened is not None
            stack.append(opened)
        elif c == "}" and stack:
            opened = stack.pop()
            if opened:
                in_function = False
                name, start = opened
                found.append((name, code.count("\n", 0, start) + 1, code.count("\n", 0, i) + 1))
    return found


def check_function_lengths(rel, code):
    return [(rel, first, "function", f"{name}() is {last - first + 1} lines (limit {MAX_FUNCTION_LINES})")
            for name, first, last in functions(code) if last - first + 1 > MAX_FUNCTION_LINES]


def check(root):
    files = source_files(root)
    headers = {}
    for rel in files:
        if rel.endswith(".hpp"):
            headers.setdefault(rel.rsplit("/", 1)[-1], []).append(rel)
    file_set = set(files)
    findings = check_cmake(root)
    header_code = {}
    for rel in files:
        if layer_of(rel) is None:
            continue
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            text = f.read()
        code = blank_non_code(text)
        if rel.endswith(".hpp"):
            header_code[rel] = code
        findings += check_includes(rel, text, file_set, headers)
        findings += check_exp(rel, code)
        findings += check_file_length(rel, text)
        findings += check_function_lengths(rel, code)
    return findings + check_type_names(header_code)


def report(findings):
    for rel, line, rule, what in findings:
        print(f"{rel}:{line}: {rule}: {what}")


# --- self-test -----------------------------------------------------------------

def layer_cmake(layer, scope="PRIVATE"):
    return (f"add_library(attn_{layer} STATIC a.cpp)\n# PUBLIC in a comment is not a scope\n"
            f"target_include_directories(attn_{layer} {scope} ${{CMAKE_CURRENT_SOURCE_DIR}})\n")


CLEAN_TREE = {
    "include/attn/util/error.hpp": "#pragma once\nnamespace attn { struct DataError {}; }\n",
    "include/attn/util/text_file.hpp": '#pragma once\n#include <string>\n#include "error.hpp"\n',
    "include/attn/trace.hpp": '#pragma once\n#include "attn/util/error.hpp"\nnamespace attn { struct Trace {}; }\n',
    "src/util/utf8_tables.hpp": "#pragma once\n",
    "src/util/text_file.cpp": '#include "attn/util/text_file.hpp"\n#include "utf8_tables.hpp"\n',
    "src/engine/softmax_into.hpp": '#pragma once\n#include "attn/trace.hpp"\n',
    "src/engine/softmax.cpp": (
        '#include <cmath>\n#include "attn/trace.hpp"\n#include "attn/util/text_file.hpp"\n#include "softmax_into.hpp"\n'
        "float f(float x) { return std::exp(x) + expf(x); }\n"),
    "include/attn/teach/lesson.hpp": '#pragma once\n#include "attn/trace.hpp"\n',
    "include/attn/render/style.hpp": '#pragma once\n#include "attn/teach/lesson.hpp"\n#include <fmt/format.h>\n',
    "src/render/style.cpp": (
        '#include "attn/render/style.hpp"\n'
        "// exp(x) in a comment, /* std::exp(y) */ too\n"
        'const char* kNote = "alpha = exp(x) / sum exp(x)";\n'
        "double expected(double x) { return x; }\n"
        "double y = expected(1.0) + my_exp(2.0) + ctx.exp (3);\n"),
    "src/cli/main.cpp": '#include <attn/render/style.hpp>\n#include "attn/util/error.hpp"\nint main() { return 0; }\n',
}
CLEAN_TREE.update({f"src/{layer}/CMakeLists.txt": layer_cmake(layer) for layer in LAYERS})
CLEAN_TREE["src/util/CMakeLists.txt"] = (
    "add_library(attn_util STATIC a.cpp)\n"
    "target_include_directories(attn_util PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} PUBLIC ${PROJECT_SOURCE_DIR}/include)\n")


def function_of(name, lines):
    """A function of exactly `lines` lines, with the constructs the heuristic must see through."""
    body = [f"int {name}(const std::vector<int>& v) const noexcept {{"]
    filler = [
        "  if (v.empty()) {", "    return 0;", "  } else {", "    for (int x : v) {", "      (void)x;",
        "    }", "  }", "  auto f = [&](int a) {", "    return a + 1;", "  };", "  struct Local {",
        "    int g() { return 1; }", "  };", '  const char* s = "}";', "  // } a brace in a comment",
    ]
    while len(body) < lines - 2:
        body += filler[: lines - 2 - len(body)]
    body += ["  return f(1);", "}"]
    assert len(body) == lines
    return "\n".join(body) + "\n"


def write_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def self_test():
    failures = []
    clean = dict(CLEAN_TREE)
    clean["src/cli/long_but_fine.cpp"] = (
        "namespace attn {\n" + function_of("just_fits", MAX_FUNCTION_LINES)
        + "struct Widget {\n  Widget(int a, int b) : a_(a), b_{b} {\n" + "    ++a_;\n" * 60 + "  }\n"
        + "  int a_, b_;\n};\n"
        + "\n" * (MAX_FILE_LINES - MAX_FUNCTION_LINES - 67)
        + "}  // namespace attn\n")
    assert clean["src/cli/long_but_fine.cpp"].count("\n") == MAX_FILE_LINES
    broken = dict(clean)
    broken["src/util/data_dir.cpp"] = '#include "attn/util/text_file.hpp"\n#include "attn/render/style.hpp"\n'
    # A private header of a lower layer, by its name (not on the path) and by a path around the rule.
    broken["src/teach/peek.cpp"] = '#include "softmax_into.hpp"\n#include "../engine/softmax_into.hpp"\n'
    broken["src/render/CMakeLists.txt"] = layer_cmake("render", "PUBLIC")
    broken["src/teach/lesson.cpp"] = '#include "lesson.hpp"\ndouble e(double x) {\n  return std::exp(x);\n}\n'
    broken["src/render/table.cpp"] = "int x;\n" * (MAX_FILE_LINES + 1)
    broken["src/cli/too_long.cpp"] = (
        "namespace attn {\n\nauto Runner::run(int n)\n    -> std::vector<int> {\n"
        + "  n++;\n" * (MAX_FUNCTION_LINES - 2) + "}\n\n}  // namespace attn\n")
    # One name, two types; a declaration, an opaque enum and a nested type do not count.
    clean["src/render/forward.hpp"] = ("#pragma once\nnamespace attn {\n\nstruct Answer;\nenum class Stage : int;\n"
                                       "class Box {\n  struct Answer {\n    int x;\n  };\n};\n\n}\n")
    clean["include/attn/teach/answer.hpp"] = "#pragma once\nnamespace attn {\n\nstruct Answer final {\n  double v;\n};\n\n}\n"
    broken["include/attn/teach/answer.hpp"] = clean["include/attn/teach/answer.hpp"]
    broken["src/cli/service.hpp"] = "#pragma once\nnamespace attn {\n\nstruct Answer : Base {\n  int status;\n};\n\n}\n"
    expected_broken = {
        ("src/util/data_dir.cpp", 2, "layer"),
        ("src/teach/peek.cpp", 1, "private"),
        ("src/teach/peek.cpp", 2, "private"),
        ("src/render/CMakeLists.txt", 3, "cmake"),
        ("src/teach/lesson.cpp", 3, "exp"),
        ("src/render/table.cpp", MAX_FILE_LINES + 1, "file"),
        ("src/cli/too_long.cpp", 3, "function"),
        ("src/cli/service.hpp", 4, "type"),
    }
    # The functions the heuristic finds, by name, in the clean tree's files.
    expected_functions = {
        "src/engine/softmax.cpp": ["f"],
        "src/render/style.cpp": ["expected"],
        "src/cli/main.cpp": ["main"],
        "src/cli/long_but_fine.cpp": ["just_fits", "Widget"],
    }
    for rel, names in expected_functions.items():
        got = [name for name, _, _ in functions(blank_non_code(clean[rel]))]
        if sorted(got) != sorted(names):
            failures.append(f"functions in {rel}: expected {names}, found {got}")
    for label, files, expected in (("clean", clean, set()), ("broken", broken, expected_broken)):
        with tempfile.TemporaryDirectory() as root:
            write_tree(root, files)
            findings = check(root)
        got = {(rel, line, rule) for rel, line, rule, _ in findings}
        if got != expected or len(findings) != len(expected):
            failures.append(f"{label} tree: expected {sorted(expected)}, found:")
            failures += [f"  {rel}:{line}: {rule}: {what}" for rel, line, rule, what in findings]
        else:
            print(f"self-test: {label} tree: {len(findings)} finding(s), as expected")
            report(findings)
    for line in failures:
        print(f"self-test: {line}")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(__doc__, file=sys.stderr)
        return 2
    root = argv[1] if len(argv) == 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    findings = check(root)
    report(findings)
    if findings:
        print(f"{len(findings)} finding(s) in {len(source_files(root))} files", file=sys.stderr)
        return 1
    print(f"{len(source_files(root))} files: layers, private headers, CMake include scopes, exp, "
          "file and function lengths, type names all fine")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
