// Imported first by pages under a Content-Security-Policy without 'unsafe-eval' (the wallboard,
// api/src/app.ts WALLBOARD_CSP). zod decides when a schema is built whether it may compile its
// parser with `new Function`, probing once; a strict policy reports that probe as a violation
// even though zod catches it. So this must run before any schema of this package is built, which
// is why it is its own entry (`@floorwatch/contracts/no-eval`), not an export of the index.
// Parsing stays exactly as strict, only not compiled.
import { config } from "zod";

config({ jitless: true });
