/**
 * Key paths as types: the paths of a configuration type `T` (`server.port`, `llm_providers[0].name`,
 * `llm_providers.0.name`) and the type at one of them, for `Config<T>.get` and the typed getters.
 * Types only. Depth-limited (MAX_DEPTH segments) so that deep or recursive types stay cheap to
 * check; beyond the limit any string continues the path and the value is `unknown`.
 */

/** Countdown for the depth limit: `Prev[4]` is 3. */
type Prev = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
type MaxDepth = 8;

/** Values whose keys are not paths (a Date is a leaf, not `getTime`/`toJSON`). */
type Leaf = string | number | boolean | bigint | symbol | null | undefined | Date | RegExp | ((...args: never[]) => unknown);

/** What may follow a path that points at a value of type `T`: `''`, `.key…`, `[n]…`, `.n…`. */
type Suffix<T, D extends number> = [D] extends [never]
  ? `.${string}` | `[${string}`
  : T extends Leaf
    ? never
    : T extends readonly (infer I)[]
      ? `[${number}]${'' | Suffix<NonNullable<I>, Prev[D]>}` | `.${number}${'' | Suffix<NonNullable<I>, Prev[D]>}`
      : T extends object
        ? ValuesOf<{ [K in keyof T as K extends string ? K : never]-?: `.${K & string}${'' | Suffix<NonNullable<T[K]>, Prev[D]>}` }>
        : never;

/**
 * The union of an object type's values. Mapped with `as` so that declared keys stay next to an
 * index signature (a plain `keyof T & string` of a loose object is just `string`).
 */
type ValuesOf<O> = O[keyof O];

/** `string & {}` keeps the literal paths in editor completion next to an open `string`. */
type OpenKey<K extends string> = string extends K ? string & {} : K;

/**
 * Every key path of `T`, dotted, with list indices as segments or `[n]`. For `unknown` (no schema,
 * or unvalidated) any string. Keys of an index signature (a loose object's unknown keys) allow
 * any name there, while the declared keys still complete in editors.
 */
export type ConfigPath<T> = unknown extends T
  ? string
  : T extends readonly (infer I)[]
    ? `${number}` | `${number}${Suffix<NonNullable<I>, MaxDepth>}`
    : T extends Leaf
      ? never
      : ValuesOf<{ [K in keyof T as K extends string ? K : never]-?: OpenKey<K & string> | `${K & string}${Suffix<NonNullable<T[K]>, MaxDepth>}` }>;

/** `a[0].b` as `a.0.b`. */
type Dotted<P extends string> = P extends `${infer A}[${infer N}]${infer B}` ? Dotted<`${A}.${N}${B}`> : P;

/** The declared keys of `T`, without index signatures. */
type DeclaredKey<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: 0 };

/** One step down: a list item or an index signature's entry (maybe absent), a declared property, or `undefined` under a leaf. */
type Step<T, K extends string> = T extends Leaf
  ? undefined
  : T extends readonly (infer I)[]
    ? K extends `${number}`
      ? I | undefined
      : undefined
    : K extends DeclaredKey<T>
      ? T[K & keyof T]
      : K extends keyof T
        ? T[K] | undefined
        : unknown;

type At<T, P extends string, D extends number> = [D] extends [never]
  ? unknown
  : P extends `${infer H}.${infer R}`
    ? At<Step<T, H>, R, Prev[D]>
    : Step<T, P>;

/**
 * The type of the value at key path `P` of `T`, as `Config.get` returns it: `undefined` is
 * included where the path may be absent (optional keys, list items, below a missing parent).
 */
export type PathValue<T, P extends string> = unknown extends T ? unknown : P extends '' ? T : At<T, Dotted<P>, 10>;
