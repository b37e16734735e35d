import type { Principal } from "./auth/roles";

export type AppEnv = {
  Variables: {
    /** The API's own id of the request (never the client's). */
    requestId: string;
    /** X-Request-Id as a client sent it, when it looked like an id: kept beside ours, in the audit log. */
    clientRequestId?: string;
    principal?: Principal;
  };
};
