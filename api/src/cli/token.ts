// `npm run token -- <command>`: tokens from the command line, for the first admin and for screens.
//
//   create --role <role> [--name …] [--sites a,b] [--pii] [--layout …] [--expires <RFC 3339>] [--replace] [--quiet]
//   list
//   revoke <id>
//
// `create` prints the token once (only its hash is stored). `--replace` revokes the earlier
// active tokens of the same name first (`npm start` gives its demo screen a fresh token each time
// without piling up old ones). `--quiet` prints the token alone, for scripts.
import { parseArgs } from "node:util";
import { TokenCreate } from "@floorwatch/contracts";
import { clickhouseConfig, createClickHouse, migrate } from "@floorwatch/sql";
import { writeAudit } from "../auth/audit";
import { makeTokenStore } from "../auth/tokens";
import { zodIssues } from "../errors";
import { env } from "../env";

const USAGE = [
  "usage: npm run token -- create --role admin|supervisor|qa|display|integration",
  "         [--name …] [--sites a,b] [--pii] [--layout …] [--expires <RFC 3339>] [--replace] [--quiet]",
  "       npm run token -- list",
  "       npm run token -- revoke <id>",
].join("\n");
const fail = (msg: string): never => {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
};

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        role: { type: "string" },
        name: { type: "string" },
        sites: { type: "string" },
        pii: { type: "boolean", default: false },
        layout: { type: "string", default: "" },
        expires: { type: "string" },
        replace: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
      },
    });
  } catch (err) {
    return fail((err as Error).message);
  }
})();

const config = clickhouseConfig(env);
await migrate(config); // the first token may come before the first `npm start`
const ch = createClickHouse(config);
const store = makeTokenStore(ch);
const by = `cli:${env.USER}`;
const actor = { id: "cli", name: by, role: "admin" };
try {
  const [command, arg] = positionals;
  if (command === "create") {
    const parsed = TokenCreate.safeParse({
      name: values.name ?? `${values.role ?? "token"} (command line)`,
      role: values.role,
      sites: values.sites
        ? values.sites
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
      pii: values.pii,
      layout: values.layout,
      expires_at: values.expires,
    });
    if (!parsed.success)
      fail(
        zodIssues(parsed.error)
          .map((i) => `${i.path}: ${i.message}`)
          .join("\n"),
      );
    const input = parsed.data!;
    if (values.replace) {
      for (const t of await store.list()) {
        if (t.name !== input.name || t.revoked_at !== null) continue;
        await store.revoke(t.id, by);
        await writeAudit(ch, actor, "token.revoke", {
          target: t.id,
          detail: { name: t.name, role: t.role, replaced: true },
        });
      }
    }
    const { info, token } = await store.create(input, by);
    await writeAudit(ch, actor, "token.create", {
      target: info.id,
      detail: {
        name: info.name,
        role: info.role,
        sites: info.sites,
        pii: info.pii,
        expires_at: info.expires_at,
      },
    });
    if (values.quiet) process.stdout.write(`${token}\n`);
    else {
      const sites = info.sites.length ? info.sites.join(",") : "all sites";
      const pii = info.pii ? ", personal data" : "";
      process.stdout.write(
        `token ${info.id} (${info.role}, ${sites}${pii}) for "${info.name}":\n\n  ${token}\n\n` +
          `Shown once; only its hash is stored. Revoke with: npm run token -- revoke ${info.id}\n`,
      );
    }
  } else if (command === "list") {
    for (const t of await store.list()) {
      const sites = (t.sites.join(",") || "*").padEnd(20);
      const state = t.revoked_at
        ? `revoked ${t.revoked_at}`
        : t.expires_at
          ? `expires ${t.expires_at}`
          : "active";
      process.stdout.write(`${t.id}  ${t.role.padEnd(11)} ${sites} ${state}  ${t.name}\n`);
    }
  } else if (command === "revoke" && arg) {
    const info = await store.revoke(arg, by);
    if (!info) fail(`no token ${arg}`);
    await writeAudit(ch, actor, "token.revoke", {
      target: arg,
      detail: { name: info!.name, role: info!.role },
    });
    process.stdout.write(`revoked ${arg} (${info!.name})\n`);
  } else {
    fail(command ? `unknown command ${command}` : "a command is required");
  }
} finally {
  await ch.close();
}
