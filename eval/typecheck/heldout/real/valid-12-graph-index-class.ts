// typecheck-eval {"kind":"valid","servers":["memory"]}
// A small index over the graph: entities by type, and neighbours of a node.
class GraphIndex {
  private byType = new Map<string, string[]>();
  private edges = new Map<string, Set<string>>();
  constructor(entities: { name: string; entityType: string }[], relations: { from: string; to: string }[]) {
    for (const e of entities) this.byType.set(e.entityType, [...(this.byType.get(e.entityType) ?? []), e.name]);
    for (const r of relations) {
      if (!this.edges.has(r.from)) this.edges.set(r.from, new Set());
      this.edges.get(r.from)!.add(r.to);
    }
  }
  ofType(t: string): string[] { return this.byType.get(t) ?? []; }
  neighbours(n: string): string[] { return [...(this.edges.get(n) ?? [])]; }
}
await memory.create_entities({ entities: [{ name: "h12-api", entityType: "service", observations: [] }, { name: "h12-db", entityType: "database", observations: [] }] });
await memory.create_relations({ relations: [{ from: "h12-api", to: "h12-db", relationType: "depends_on" }] });
const graph = await memory.read_graph({});
const index = new GraphIndex(graph.entities, graph.relations);
return { services: index.ofType("service").filter((s) => s.startsWith("h12-")), deps: index.neighbours("h12-api") };
