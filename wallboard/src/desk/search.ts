// The address's query as @solidjs/router's useSearchParams gives it to the screens that keep their
// question there (the QA filters, the report): a parameter given twice is an array.
export type Search = Partial<Record<string, string | string[] | undefined>>;

/** A parameter's value; the first when it is given more than once. */
export const one = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;
