// One error type, one onError, one envelope (conventions.md habit 7). Nothing internal (messages
// of dependencies, stack traces) ever reaches a client: unknown errors become a bare 500.
import type { ErrorCode, ErrorEnvelope } from "@floorwatch/contracts";
import { errorFields, type Logger } from "@floorwatch/sql";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export type Issue = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function zodIssues(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): Issue[] {
  return error.issues.map((i) => ({
    path: i.path.map(String).join(".") || "(root)",
    message: i.message,
  }));
}

export function envelope(c: Context, code: ErrorCode, message: string, issues?: Issue[]) {
  const body: ErrorEnvelope = {
    error: { code, message, requestId: c.get("requestId") ?? "", ...(issues ? { issues } : {}) },
  };
  return c.json(body, STATUS[code]);
}

export const notFound: NotFoundHandler = (c) =>
  envelope(c, "not_found", `no route for ${c.req.method} ${c.req.path}`);

export function onError(log: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof ApiError) return envelope(c, err.code, err.message, err.issues);
    // Hono's own refusals (a body that is not JSON, say) carry a client-safe message and status.
    if (err instanceof HTTPException) {
      const code = (Object.keys(STATUS) as ErrorCode[]).find(
        (k) => STATUS[k] === err.status && k !== "internal",
      );
      if (code) return envelope(c, code, err.message || code);
    }
    log.error("request failed", {
      requestId: c.get("requestId"),
      path: c.req.path,
      ...errorFields(err),
    });
    return envelope(c, "internal", "internal error");
  };
}
