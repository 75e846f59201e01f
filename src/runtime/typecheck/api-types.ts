// Questions the blocking rules ask of the checker about the catalog's and host namespaces' declared
// types: does a type or symbol come from those declarations, is an expression an (un-awaited) call
// of a catalog function, and would an argument fit its parameter once the program's widened
// strings and numbers are allowed to stand for an enum. Pure over a ts.TypeChecker.
import ts from 'typescript';

export interface ApiView {
  readonly checker: ts.TypeChecker;
  /** True for the catalog's and host namespaces' declaration files. */
  readonly isApiFile: (fileName: string) => boolean;
}

const MAX_DEPTH = 6;

export function declaredInApi(view: ApiView, symbol: ts.Symbol | undefined): boolean {
  if (!symbol) return false;
  const target = symbol.flags & ts.SymbolFlags.Alias ? view.checker.getAliasedSymbol(symbol) : symbol;
  return (target.declarations ?? []).some((d) => view.isApiFile(d.getSourceFile().fileName));
}

/** A type the declarations define: a namespace, a named or literal object type, or an intersection holding one. */
export function isApiType(view: ApiView, type: ts.Type): boolean {
  if (declaredInApi(view, type.aliasSymbol) || declaredInApi(view, type.getSymbol())) return true;
  return type.isIntersection() && type.types.some((t) => isApiType(view, t));
}

/** `expr` names something the declarations define: a property of a declared result, a namespace, a function. */
export function isApiSymbolAt(view: ApiView, expr: ts.Expression): boolean {
  const at = ts.isPropertyAccessExpression(expr) ? expr.name : expr;
  return declaredInApi(view, view.checker.getSymbolAtLocation(at));
}

/** The catalog function a call calls (`memory.read_graph(...)`), or false. */
export function isApiCall(view: ApiView, node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const declaration = view.checker.getResolvedSignature(node)?.getDeclaration();
  if (declaration && view.isApiFile(declaration.getSourceFile().fileName)) return true;
  return isApiSymbolAt(view, node.expression);
}

/** `expr` is a catalog call not awaited: the call itself, or a variable it initialized. */
export function isPendingApiCall(view: ApiView, expr: ts.Expression): boolean {
  const inner = skipParentheses(expr);
  if (isApiCall(view, inner)) return true;
  if (!ts.isIdentifier(inner)) return false;
  const declaration = view.checker.getSymbolAtLocation(inner)?.valueDeclaration;
  return !!declaration && ts.isVariableDeclaration(declaration) && !!declaration.initializer && isApiCall(view, skipParentheses(declaration.initializer));
}

/** A Promise (the library's), whatever it resolves to. */
export function isPromise(type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return symbol?.getName() === 'Promise' && !!symbol.declarations?.some((d) => d.getSourceFile().hasNoDefaultLib);
}

/**
 * Whether `source` fits `target` when a non-literal string, number or boolean of the program may
 * stand for any literal of that kind (`let sort = 'created'` is a string to TypeScript, and a fine
 * value for `sort?: "created" | "updated"`). A literal that fits no member still fails: that is a
 * wrong enum value. Missing required properties fail; extra ones are not looked at.
 */
export function fitsLoosely(checker: ts.TypeChecker, source: ts.Type, target: ts.Type, depth = 0): boolean {
  if (source.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) || target.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  if (checker.isTypeAssignableTo(source, target)) return true;
  if (depth > MAX_DEPTH) return true; // deep enough: give the program the benefit of the doubt
  if (source.isUnion()) return source.types.every((s) => fitsLoosely(checker, s, target, depth + 1));
  const targets = target.isUnion() ? target.types : [target];
  if (source.isLiteral() || source.flags & ts.TypeFlags.BooleanLiteral) return false;
  if (source.flags & (ts.TypeFlags.String | ts.TypeFlags.Number | ts.TypeFlags.Boolean)) {
    return targets.some((t) => checker.isTypeAssignableTo(source, checker.getBaseTypeOfLiteralType(t)) || (t.flags & ts.TypeFlags.BooleanLiteral && source.flags & ts.TypeFlags.Boolean));
  }
  if (checker.isArrayType(source) || checker.isTupleType(source)) {
    const elements = elementTypes(checker, source);
    return targets.some((t) => {
      if (!checker.isArrayType(t) && !checker.isTupleType(t)) return false;
      const wanted = elementTypes(checker, t);
      // Each element against the target's element (an array) or any of its elements (a tuple, loosely).
      return elements.every((e) => wanted.some((w) => fitsLoosely(checker, e, w, depth + 1)));
    });
  }
  if (source.flags & ts.TypeFlags.Object) {
    return targets.some((t) => t.flags & ts.TypeFlags.Object && !checker.isArrayType(t) && objectFits(checker, source, t, depth));
  }
  return false;
}

function objectFits(checker: ts.TypeChecker, source: ts.Type, target: ts.Type, depth: number): boolean {
  for (const wanted of target.getProperties()) {
    const have = source.getProperty(wanted.getName());
    if (!have) {
      if (wanted.flags & ts.SymbolFlags.Optional) continue;
      // An index signature may hold it (`Record<string, string>` built up key by key).
      if (checker.getIndexInfosOfType(source).length > 0) continue;
      return false;
    }
    if (!fitsLoosely(checker, checker.getTypeOfSymbol(have), checker.getTypeOfSymbol(wanted), depth + 1)) return false;
  }
  return true;
}

/** An array's element type, or a tuple's element types. */
function elementTypes(checker: ts.TypeChecker, type: ts.Type): readonly ts.Type[] {
  const args = checker.getTypeArguments(type as ts.TypeReference);
  return checker.isTupleType(type) ? args : args.slice(0, 1);
}

export function skipParentheses(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}
