#!/usr/bin/python3
"""The documented JSON Schemas hold for what the program reads and writes.

Every bundled table must validate against docs/schemas/table.schema.json, and
the --json trace of several runs against docs/schemas/trace.schema.json; a table
the loader refuses for its shape must fail the table schema too. Every bundled
lesson (data/lessons/*.json) must validate against docs/schemas/lesson.schema.json
and be named after its file; lessons the schema must refuse are refused. Every
bundled exercise (data/exercises/*.json) must validate against
docs/schemas/exercise.schema.json and have its file's name as id; exercises the
schema must refuse are refused. `timeline --json` on a model with snapshots (the
test fixture's) validates against docs/schemas/timeline.schema.json.

usage: /usr/bin/python3 tests/schema/check_schemas.py BINARY SOURCE_DIR SNAPSHOT_MODEL_DIR
"""
import glob
import json
import os
import subprocess
import sys

import jsonschema


def main():
    binary, src, snapshot_model = sys.argv[1], sys.argv[2], sys.argv[3]
    table_schema = json.load(open(f"{src}/docs/schemas/table.schema.json"))
    trace_schema = json.load(open(f"{src}/docs/schemas/trace.schema.json"))
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    for path in sorted(glob.glob(f"{src}/data/*.json")):
        if os.path.basename(path) == "explain.json":  # the --explain notes, not a table
            continue
        errors = list(jsonschema.Draft202012Validator(table_schema).iter_errors(json.load(open(path))))
        check(not errors, f"{path}: {errors[:1]}")

    for bad in ({"dim": 3}, {"dim": 0, "vectors": {"a": []}}, {"dim": 1, "vectors": {"a": [1]}, "vector": {}},
                {"dim": 1, "vectors": {"a b": [1]}}):
        check(not jsonschema.Draft202012Validator(table_schema).is_valid(bad), f"schema accepts {bad}")

    lesson_schema = json.load(open(f"{src}/docs/schemas/lesson.schema.json"))
    lesson_validator = jsonschema.Draft202012Validator(lesson_schema)
    lessons = sorted(glob.glob(f"{src}/data/lessons/*.json"))
    check(lessons, f"no lessons in {src}/data/lessons")
    for path in lessons:
        lesson = json.load(open(path))
        errors = list(lesson_validator.iter_errors(lesson))
        check(not errors, f"{path}: {errors[:1]}")
        stem = os.path.splitext(os.path.basename(path))[0]
        check(lesson.get("name") == stem, f"{path}: \"name\" is {lesson.get('name')!r}, expected {stem!r}")

    good = {"name": "x", "title": "t", "source": "s", "summary": "s", "run": {"sentence": "a b"},
            "steps": [{"title": "t", "say": ["line"], "show": ["scores", "weights"]}]}
    check(lesson_validator.is_valid(good), "lesson schema refuses a minimal lesson")
    for bad in ({k: v for k, v in good.items() if k != "steps"},
                {**good, "steps": []},
                {**good, "extra": 1},
                {**good, "run": {"sentence": "a", "heads": 0}},
                {**good, "run": {"sentence": "a", "dropout": 1}},
                {**good, "run": {"sentence": "a", "embedding": "default.json"}},
                {**good, "steps": [{"say": ["no title"]}]},
                {**good, "steps": [{"title": "t", "show": ["softmax"]}]},
                {**good, "steps": [{"title": "t", "compare": "heads"}]},
                {**good, "steps": [{"title": "t", "compare": "scale", "focus": "a"}]},
                {**good, "steps": [{"title": "t", "expect": {"token": "a"}}]}):
        check(not lesson_validator.is_valid(bad), f"lesson schema accepts {bad}")

    exercise_schema = json.load(open(f"{src}/docs/schemas/exercise.schema.json"))
    exercise_validator = jsonschema.Draft202012Validator(exercise_schema)
    exercises = sorted(glob.glob(f"{src}/data/exercises/*.json"))
    check(exercises, f"no exercises in {src}/data/exercises")
    for path in exercises:
        exercise = json.load(open(path))
        errors = list(exercise_validator.iter_errors(exercise))
        check(not errors, f"{path}: {errors[:1]}")
        stem = os.path.splitext(os.path.basename(path))[0]
        check(exercise.get("id") == stem, f"{path}: \"id\" is {exercise.get('id')!r}, expected {stem!r}")

    run = {"sentence": "Your journey starts with one step", "embeddings": "journey.json", "projection": "none"}
    good = {"id": "x", "title": "t", "topic": "scores", "difficulty": 1, "order": 1, "source": "s", "run": run,
            "task": ["Compute it."], "show": ["inputs"], "ask": {"quantity": "score", "token": "journey", "key": "1"},
            "hints": ["one", "two"]}
    count = {"id": "x", "title": "t", "topic": "parameters", "difficulty": 1, "source": "s", "task": ["Count."],
             "ask": {"quantity": "parameter_count", "d_in": 768, "d_out": 768, "heads": 12, "multihead": "split",
                     "qkv_bias": False},
             "decimals": 0, "hints": ["one", "two"]}
    for ok in (good, count, {**good, "ask": {"quantity": "attends_most", "token": "2"}},
               {**good, "ask": {"quantity": "score", "token": 2, "key": 1}},
               {k: v for k, v in good.items() if k not in ("difficulty", "order", "show")},
               {**good, "ask": {"quantity": "output_shape"}, "decimals": 0},
               {**good, "decimals": 2, "tolerance": 0.01},
               {**good, "run": {**run, "dropout": 0.5}, "ask": {"quantity": "dropout_scale"}}):
        check(exercise_validator.is_valid(ok), f"exercise schema refuses {ok}")
    for bad in ({k: v for k, v in good.items() if k != "ask"},
                {k: v for k, v in good.items() if k != "hints"},
                {k: v for k, v in good.items() if k != "run"},
                {**good, "extra": 1},
                {**good, "answer": 0.9544},
                {**good, "id": "a b"},
                {**good, "difficulty": 4},
                {**good, "tolerance": 0},
                {**good, "decimals": 10},
                {**good, "decimals": 2.5},
                {**good, "task": []},
                {**good, "hints": ["only one"]},
                {**good, "hints": ["1", "2", "3", "4", "5"]},
                {**good, "show": ["softmax"]},
                {**good, "run": {"embeddings": "journey.json"}},
                {**good, "run": {**run, "heads": 0}},
                {**good, "ask": {"quantity": "probability", "token": "journey"}},
                {**good, "ask": {"quantity": "score", "token": "journey"}},
                {**good, "ask": {"quantity": "weights", "token": "journey", "key": "Your"}},
                {**good, "ask": {"quantity": "context"}},
                {**good, "ask": {"quantity": "score", "token": 0, "key": 1}},
                {**good, "ask": {"quantity": "score", "token": "journey", "key": " "}},
                {**good, "id": "12"},
                {**good, "ask": {"quantity": "output_shape", "token": "journey"}},
                {**good, "ask": {"quantity": "scores", "token": "journey", "d_in": 3}},
                {**good, "ask": {"quantity": "dropout_scale"}},
                {**good, "run": {**run, "dropout": 0}, "ask": {"quantity": "dropout_scale"}},
                {**count, "ask": {"quantity": "parameter_count", "d_in": 768}},
                {**count, "ask": {**count["ask"], "token": "journey"}},
                {**count, "ask": {**count["ask"], "multihead": "both"}},
                {**count, "run": run},
                {**count, "show": ["params"]}):
        check(not exercise_validator.is_valid(bad), f"exercise schema accepts {bad}")

    runs = [
        ["How are you doing?"],
        ["--projection", "none", "--no-scale", "--embeddings", f"{src}/data/journey.json",
         "Your journey starts with one step"],
        ["--projection", "rand", "--seed", "123", "--d-out", "2", "--embeddings", f"{src}/data/journey.json",
         "Your journey starts with one step"],
        ["--oov", "zero", "Zebras are unknown here"],
        ["--projection", "linear", "--qkv-bias", "--d-out", "4", "--heads", "2", "--multihead", "split", "--causal",
         "--dropout", "0.3", "--dropout-seed", "5", "The dog chased the ball, and it rolled away."],
        ["--projection", "rand", "--heads", "3", "--causal", "--causal-method", "renorm", "--softmax", "naive",
         "He fed the dog because it was hungry."],
        ["--positions", "sinusoidal", "dog bites man"],
        ["--model", "demo", "--lens", "--top", "3", "The dog chased the ball, and it"],
        ["--model", "demo", "--layer", "all", "--lens", "The dog chased the ball"],
        ["--model", "demo", "--no-positions", "--layer", "2", "He fed the dog"],
        ["--model", "demo", "--generate", "3", "--seed", "5", "--top-k", "4", "The dog chased the ball, and it"],
    ]
    for args in runs:
        out = subprocess.run([binary, "--json", *args], capture_output=True, text=True, check=True).stdout
        errors = list(jsonschema.Draft202012Validator(trace_schema).iter_errors(json.loads(out)))
        check(not errors, f"trace of {args}: {errors[:1]}")

    # The timeline (issue 28), on a model with training snapshots (tests/model/make_snapshot_model.py's).
    timeline_schema = json.load(open(f"{src}/docs/schemas/timeline.schema.json"))
    for args in [["The dog chased the ball, and it rolled away."], ["--layer", "all", "--focus", "it", "He fed the dog because it was hungry."]]:
        out = subprocess.run([binary, "timeline", "--model", snapshot_model, "--json", *args], capture_output=True, text=True,
                             check=True).stdout
        errors = list(jsonschema.Draft202012Validator(timeline_schema).iter_errors(json.loads(out)))
        check(not errors, f"timeline of {args}: {errors[:1]}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
