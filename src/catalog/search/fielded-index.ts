// A fielded BM25 (BM25F) inverted index: each document has named text fields with their own
// weight and length normalisation; a term's frequencies are combined across fields before
// saturation, so a word in a short summary outweighs the same word repeated in a long description.
// Pure; imported by catalog/search/ only.

export interface FieldSpec {
  readonly name: string;
  /** How much one occurrence here counts against one in a weight-1 field. */
  readonly weight: number;
  /** Length normalisation, 0 (none) to 1 (full): long descriptions should not win by repetition. */
  readonly b: number;
}

export interface FieldedIndex {
  readonly size: number;
  /** Per document, the BM25F score of one term (0 where absent); `into` is reused to avoid allocation. */
  scoreTerm(term: string, into: Map<number, number>): void;
  /** Documents that hold `term` in any field. */
  documentFrequency(term: string): number;
}

const K1 = 1.2;

export function createFieldedIndex(fields: readonly FieldSpec[], docs: readonly (readonly (readonly string[])[])[]): FieldedIndex {
  // postings: term -> flat array [doc, tf field 0, tf field 1, …] per document holding it.
  const postings = new Map<string, number[]>();
  const lengths = docs.map((doc) => fields.map((_, f) => doc[f]?.length ?? 0));
  const averages = fields.map((_, f) => Math.max(1, lengths.reduce((sum, l) => sum + (l[f] ?? 0), 0) / Math.max(1, docs.length)));
  const stride = fields.length + 1;
  docs.forEach((doc, id) => {
    const counts = new Map<string, number[]>();
    fields.forEach((_, f) => {
      for (const term of doc[f] ?? []) {
        let row = counts.get(term);
        if (!row) counts.set(term, (row = new Array<number>(fields.length).fill(0)));
        row[f] = (row[f] ?? 0) + 1;
      }
    });
    for (const [term, row] of counts) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push(id, ...row);
    }
  });
  // Per document and field, the BM25 length factor, computed once.
  const norms = lengths.map((l) => fields.map((field, f) => 1 - field.b + field.b * ((l[f] ?? 0) / (averages[f] ?? 1))));

  return {
    size: docs.length,
    documentFrequency: (term) => (postings.get(term)?.length ?? 0) / stride,
    scoreTerm(term, into) {
      const list = postings.get(term);
      if (!list) return;
      const n = list.length / stride;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      for (let i = 0; i < list.length; i += stride) {
        const id = list[i] ?? 0;
        const norm = norms[id] ?? [];
        let tf = 0;
        for (let f = 0; f < fields.length; f++) {
          const count = list[i + 1 + f] ?? 0;
          if (count) tf += ((fields[f]?.weight ?? 0) * count) / (norm[f] ?? 1);
        }
        into.set(id, (idf * tf * (K1 + 1)) / (K1 + tf));
      }
    },
  };
}
