// Token administration (admins): create (the secret is in this one answer only), list, revoke.
import { TokenCreate, type TokenCreated, type TokenList } from "@floorwatch/contracts";
import { Hono } from "hono";
import { z } from "zod";
import type { Audit } from "../auth/audit";
import { allow } from "../auth/middleware";
import type { TokenStore } from "../auth/tokens";
import { ApiError } from "../errors";
import type { AppEnv } from "../types";
import { validate } from "../validate";

const TokenId = z.object({
  id: z.string().regex(/^[0-9a-f]{12}$/, "must be a token id: 12 hex digits"),
});

export function tokenRoutes(store: TokenStore, audit: Audit) {
  return new Hono<AppEnv>()
    .post("/", validate("json", TokenCreate), async (c) => {
      const p = allow(c, "tokens");
      const input = c.req.valid("json");
      const { info, token } = await store.create(input, p.name);
      await audit(c, "token.create", {
        target: info.id,
        detail: {
          name: info.name,
          role: info.role,
          sites: info.sites,
          pii: info.pii,
          expires_at: info.expires_at,
        },
      });
      c.header("Cache-Control", "no-store");
      return c.json({ ...info, token } satisfies TokenCreated, 201);
    })
    .get("/", async (c) => {
      allow(c, "tokens");
      return c.json({ tokens: await store.list() } satisfies TokenList);
    })
    .delete("/:id", validate("param", TokenId), async (c) => {
      const p = allow(c, "tokens");
      const { id } = c.req.valid("param");
      const info = await store.revoke(id, p.name);
      if (!info) throw new ApiError("not_found", `no token ${id}`);
      await audit(c, "token.revoke", { target: id, detail: { name: info.name, role: info.role } });
      return c.json(info);
    });
}
