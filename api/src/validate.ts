// @hono/zod-validator with the API's envelope: a 400 naming every problem, never zod's raw output.
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { envelope, zodIssues } from "./errors";

export function validate<T extends keyof ValidationTargets, S extends z.ZodType>(
  target: T,
  schema: S,
) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      const issues = zodIssues(result.error);
      return envelope(
        c,
        "bad_request",
        `invalid ${target}: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        issues,
      );
    }
  });
}
