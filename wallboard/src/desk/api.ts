// The desk screens' calls to /api/v1: the session's bearer token, a timeout on every request,
// every answer validated with its contract schema, and the API's error envelope turned into an
// error a screen can show (its code and message, in the words the API chose).
import type { T } from "./i18n";

/** What validates an answer: any contract schema (zod's safeParse). */
export interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export class ApiFailure extends Error {
  constructor(
    /** HTTP status; 0 when the server was not reached or answered nothing usable. */
    readonly status: number,
    /** The envelope's `error.code` (`forbidden`, `bad_request`, …), `network`, `timeout` or `invalid`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string, schema: Schema<T>, opts?: { signal?: AbortSignal }): Promise<T>;
  send<T>(
    method: "POST" | "PUT" | "DELETE",
    path: string,
    body: unknown,
    schema: Schema<T>,
  ): Promise<T>;
  /**
   * A file (a compliance pack's zip): the whole body as a Blob with the answer's headers. Refusals
   * and failures as for `get`; `timeoutMs` bounds the whole transfer (a pack can be large).
   */
  blob(
    path: string,
    opts: { accept: string; timeoutMs: number; signal?: AbortSignal },
  ): Promise<{ blob: Blob; status: number; headers: Headers }>;
}

/** `/live?site=a` → `/api/v1/live?site=a`; a drill link (`/api/v1/contacts?…`) is kept as it is. */
export const apiUrl = (path: string) => (path.startsWith("/api/v1/") ? path : `/api/v1${path}`);

/** A query string of the defined values, in the order given (undefined and "" left out). */
export function query(
  params: Record<string, string | number | boolean | undefined | null>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

export interface ApiOptions {
  token: () => string | null;
  /** The token was refused (401): the session is over. */
  onUnauthorized: (failure: ApiFailure) => void;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function makeApi(opts: ApiOptions): Api {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  /**
   * One request with the session's token and a timeout over the request and `read` of its body; a
   * refusal becomes an ApiFailure with the envelope's code and message (401 ends the session).
   */
  async function request<R>(
    method: string,
    path: string,
    body: unknown,
    o: { accept: string; timeoutMs?: number; signal?: AbortSignal },
    read: (res: Response) => Promise<R>,
  ): Promise<{ res: Response; read: R }> {
    const token = opts.token();
    const timeout = AbortSignal.timeout(o.timeoutMs ?? opts.timeoutMs ?? 20_000);
    const failed = (e: unknown) => {
      if (o.signal?.aborted) return e;
      const timedOut = timeout.aborted;
      return new ApiFailure(0, timedOut ? "timeout" : "network", timedOut ? "timeout" : String(e));
    };
    let res: Response;
    try {
      res = await doFetch(apiUrl(path), {
        method,
        cache: "no-store",
        signal: o.signal ? AbortSignal.any([o.signal, timeout]) : timeout,
        headers: {
          accept: o.accept,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      throw failed(e);
    }
    if (!res.ok) {
      let json: unknown = null;
      try {
        const text = await res.text();
        json = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: a proxy's page; reported below
      }
      const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
      const failure = new ApiFailure(
        res.status,
        err?.code ?? `http_${res.status}`,
        err?.message ?? `HTTP ${res.status}`,
      );
      if (res.status === 401) opts.onUnauthorized(failure);
      throw failure;
    }
    try {
      return { res, read: await read(res) };
    } catch (e) {
      throw failed(e);
    }
  }
  async function call<T>(
    method: string,
    path: string,
    body: unknown,
    schema: Schema<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const { res, read: text } = await request(
      method,
      path,
      body,
      { accept: "application/json", signal },
      (r) => r.text(),
    );
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: a proxy's page; refused by the schema below
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ApiFailure(res.status, "invalid", `unexpected answer from ${method} ${path}`);
    return parsed.data;
  }
  return {
    get: (path, schema, o) => call("GET", path, undefined, schema, o?.signal),
    send: (method, path, body, schema) => call(method, path, body, schema),
    async blob(path, o) {
      const { res, read: blob } = await request("GET", path, undefined, o, (r) => r.blob());
      return { blob, status: res.status, headers: res.headers };
    },
  };
}

/**
 * What went wrong, as a person reads it (the error panel, a failed acknowledgement): a network
 * failure or a timeout in the words of their language, else the API's message (the envelope's,
 * never a stack trace).
 */
export function errorText(e: unknown, t: T<"errorNetwork" | "errorTimeout">): string {
  if (e instanceof ApiFailure) {
    if (e.code === "network") return t("errorNetwork");
    if (e.code === "timeout") return t("errorTimeout");
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
