#include "cli_exercise.hpp"

#include <cstdio>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "attn/util/data_dir.hpp"
#include "attn/embedding_table.hpp"
#include "attn/util/error.hpp"
#include "attn/teach/exercise.hpp"
#include "attn/explorer.hpp"
#include "attn/teach/progress.hpp"
#include "attn/render/render_exercise.hpp"
#include "output.hpp"
#include "attn/teach/answer_read.hpp"

namespace attn {

namespace {

void out(const std::string& text) { write_stdout(text); }

void note(const std::string& text) { std::fputs(fmt::format("attn-explain: note: {}\n", text).c_str(), stderr); }

// The exercise's run, when it has one.
std::optional<Trace> run_of(const Exercise& e) {
  if (!has_run(e)) return std::nullopt;
  if (!e.settings.model.empty()) return model_trace(e.settings);
  return explore(e.settings.request, load_table(find_data_file(e.settings.embeddings)));
}

// Saving progress is a courtesy: a failure is reported, never fatal.
void save(const std::filesystem::path& path, const Progress& progress) {
  if (path.empty()) return;
  try {
    save_progress(path, progress);
  } catch (const Error& e) {
    note(fmt::format("progress not saved: {}", e.what()));
  }
}

// --answer: the verdict, on stdout, and the progress it makes. Returns the exit
// status: 0 right, 1 anything else.
int check_answer(const ExerciseCommand& c, const Exercise& e, Progress& progress, const std::filesystem::path& path) {
  const ExerciseOptions options{c.precision, c.color};
  ExerciseProgress& mine = progress.exercises[e.id];
  const Answer given = parse_answer(*c.answer, answer_kind(e.ask.quantity));
  const Verdict verdict = check(e, given);
  // An answer with too few decimals is not judged, so it is not an attempt.
  if (!verdict.too_few_decimals) {
    count_attempt(mine);
    if (verdict.correct) mine.solved = true;
    // Saved before the verdict is shown, and the exit status is the verdict's even
    // when the reader of stdout has gone (`| head -c0`): a wrong answer never exits 0.
    save(path, progress);
  }
  const int status = verdict.correct ? 0 : 1;
  try {
    if (c.json) {
      nlohmann::json j = {{"id", e.id}, {"correct", verdict.correct}};
      if (verdict.mistake) j["mistake"] = *verdict.mistake;
      if (verdict.too_few_decimals) {
        j["too_few_decimals"] = true;
        j["decimals"] = e.decimals;
      }
      if (!verdict.correct) j["nudge"] = verdict.nudge;
      if (!verdict.note.empty()) j["note"] = verdict.note;
      out(j.dump(2) + "\n");
    } else {
      out(render_verdict(e, given, verdict, options));
    }
  } catch (const ReaderGone&) {
    return status;
  }
  return status;
}

}  // namespace

int run_exercise(const ExerciseCommand& c) {
  const ExerciseOptions options{c.precision, c.color};
  if (c.reset) {
    const std::filesystem::path path = progress_path();
    reset_progress(path);
    out(fmt::format("Progress cleared ({}).\n", path.string()));
    return 0;
  }
  // Without a place for progress (no HOME, no XDG_STATE_HOME) the exercises still work; nothing is kept.
  std::filesystem::path path;
  try {
    path = progress_path();
  } catch (const Error& e) {
    note(fmt::format("{}; progress will not be kept", e.what()));
  }
  Progress progress;
  if (!path.empty()) {
    std::string load_note;
    progress = load_progress(path, load_note);
    if (!load_note.empty()) note(load_note);
  }

  const std::vector<Exercise> exercises = load_exercises();
  if (c.id.empty()) {
    if (c.json) {
      nlohmann::json list = nlohmann::json::array();
      for (const Exercise& e : exercises) {
        const auto it = progress.exercises.find(e.id);
        list.push_back({{"id", e.id}, {"title", e.title}, {"topic", e.topic}, {"difficulty", e.difficulty},
                        {"solved", it != progress.exercises.end() && it->second.solved}});
      }
      out(list.dump(2) + "\n");
    } else {
      out(render_exercise_list(exercises, progress, options));
    }
    return 0;
  }

  const Exercise& e = find_exercise(exercises, c.id);
  ExerciseProgress& mine = progress.exercises[e.id];

  if (c.hint) {
    const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(mine.hints) + 1, e.hints.size());
    if (c.json) {
      out(nlohmann::json({{"id", e.id}, {"hint", e.hints[k - 1]}, {"number", k}, {"of", e.hints.size()}}).dump(2) + "\n");
    } else {
      out(render_hint(e, k));
    }
    mine.hints = static_cast<int>(k);
    save(path, progress);
    return 0;
  }

  if (c.solution) {
    const Answer expected = solve(e);
    if (c.json) {
      out(nlohmann::json({{"id", e.id}, {"answer", answer_to_json(expected)}}).dump(2) + "\n");
    } else {
      const std::optional<Trace> trace = run_of(e);
      out(render_solution(e, trace ? &*trace : nullptr, expected, options));
    }
    return 0;
  }

  if (c.answer) return check_answer(c, e, progress, path);

  if (c.json) {
    out(nlohmann::json({{"id", e.id}, {"title", e.title}, {"topic", e.topic}, {"difficulty", e.difficulty},
                        {"source", e.source}, {"task", e.task}, {"hints", e.hints.size()},
                        {"command", explore_command(e)}})
            .dump(2) +
        "\n");
    return 0;
  }
  const std::optional<Trace> trace = run_of(e);
  out(render_exercise(e, trace ? &*trace : nullptr, options));
  return 0;
}

}  // namespace attn
