// Where the desk's links lead: the drill list behind a count, a contact's story read around the
// instant the API chose, and the site's queue list the screens name queues from. One place for each
// address, so every screen that opens a page opens it the same way (the copies had begun to encode
// their parameters differently).

/** The drill list page (`/contacts?site=…&drill=…`) of a GET /api/v1/contacts path. */
export const contactsHref = (site: string, apiPath: string) =>
  `/contacts?site=${encodeURIComponent(site)}&drill=${encodeURIComponent(apiPath)}`;

/**
 * The desk page of a contact (`/contacts/:id?site=…&around=…`): its story read around `around`
 * (the instant the API's own link to it names, or the moment the linking row is about).
 */
export function contactPage(site: string, contactId: string, around: string | null): string {
  const q = new URLSearchParams({ site });
  if (around) q.set("around", around);
  return `/contacts/${encodeURIComponent(contactId)}?${q}`;
}

/** The `around` of an API contact link (`/api/v1/contacts/:id?site=…&around=…`), or null. */
export function aroundOf(apiLink: string): string | null {
  try {
    return new URL(apiLink, "http://api.invalid").searchParams.get("around");
  } catch {
    return null;
  }
}

/** GET /sites/:site/queues: the site's queues with their names in both languages. */
export const queuesPath = (site: string) => `/sites/${encodeURIComponent(site)}/queues`;
