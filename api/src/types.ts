import type { Principal } from "./auth/roles";
import type { SiteDirectory } from "./sites";

export type AppEnv = {
  Variables: {
    /** The API's own id of the request (never the client's). */
    requestId: string;
    /** X-Request-Id as a client sent it, when it looked like an id: kept beside ours, in the audit log. */
    clientRequestId?: string;
    principal?: Principal;
    /** Which sites exist (read routes answer 404 for any other). */
    sites: SiteDirectory;
  };
};
